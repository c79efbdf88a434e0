using System.Net;
using DnsClient.Protocol;

namespace CutoverEngine.Sending.Verification;

/// <summary>An answer: its response code and records.</summary>
public sealed record DnsResult(string ResponseCode, IReadOnlyList<DnsResourceRecord> Records)
{
    public bool Ok => ResponseCode == "NoError";

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    public bool NameError => ResponseCode == nameof(DnsClient.DnsHeaderResponseCode.NotExistentDomain);

    /// <summary>The A and AAAA records.</summary>
    public IReadOnlyList<IPAddress> Addresses =>
        [.. Records.OfType<ARecord>().Select(a => a.Address), .. Records.OfType<AaaaRecord>().Select(a => a.Address)];
    public IReadOnlyList<string> Names =>
        [.. Records.OfType<PtrRecord>().Select(p => p.PtrDomainName.Value.TrimEnd('.').ToLowerInvariant())];
    public IReadOnlyList<string> Texts => [.. Records.OfType<TxtRecord>().Select(t => string.Concat(t.Text))];
    public IReadOnlyList<string> MailExchanges =>
        [.. Records.OfType<MxRecord>().Select(m => m.Exchange.Value.TrimEnd('.'))];
}
