using System.Net;
using System.Net.Sockets;

namespace CutoverEngine.Sending.Verification;

/// <summary>The DNS an SPF evaluation needs (so that the evaluation itself is pure and testable).</summary>
public interface ISpfDns
{
    /// <summary>Each TXT record at <paramref name="name"/>, its character-strings joined.</summary>
    Task<SpfDnsAnswer<string>> TxtAsync(string name, CancellationToken ct);

    /// <summary>The A (<see cref="AddressFamily.InterNetwork"/>) or AAAA records at <paramref name="name"/>.</summary>
    Task<SpfDnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct);

    /// <summary>The exchange names of the MX records at <paramref name="name"/>.</summary>
    Task<SpfDnsAnswer<string>> MailExchangesAsync(string name, CancellationToken ct);

    /// <summary>The names of the PTR records at <paramref name="reverseName"/> (an in-addr.arpa or ip6.arpa
    /// name).</summary>
    Task<SpfDnsAnswer<string>> PointersAsync(string reverseName, CancellationToken ct);
}
