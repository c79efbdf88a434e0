using System.Diagnostics;
using System.Net;
using DnsClient;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Sending.Verification;

/// <summary>One named check's result: what was expected, what was observed, and how long it took.</summary>
public sealed record CheckResult(
    string Check,
    string Subject,
    bool Passed,
    string Expected,
    string Observed,
    string Detail,
    TimeSpan Duration
);

/// <summary>What to verify about one MTA after its move.</summary>
public sealed record MtaExpectation(string HostName, IPAddress Address, string EhloName);

/// <summary>
/// The verification checks of DOMAIN.md, "What verified means". None throws for a failed check: a failure is a
/// result with what was observed (only cancellation propagates).
/// </summary>
public sealed class MtaChecks(DnsQueries dns, IOptions<VerificationOptions> options)
{
    readonly VerificationOptions _o = options.Value;

    /// <summary>authoritative-dns: the zone's own servers answer the host name with exactly the expected
    /// address.</summary>
    public Task<CheckResult> AuthoritativeDnsAsync(string zone, MtaExpectation mta, CancellationToken ct) =>
        Run(
            "authoritative-dns",
            mta.HostName,
            mta.Address.ToString(),
            async () =>
            {
                var r = await dns.AuthoritativeAsync(zone, mta.HostName, QueryType.A, ct);
                var observed = string.Join(",", r.Addresses.Select(a => a.ToString()).Order());
                return (
                    r.Ok && observed == mta.Address.ToString(),
                    r.Ok ? (observed.Length == 0 ? "no A record" : observed) : r.ResponseCode,
                    "asked the zone's authoritative servers, recursion off"
                );
            }
        );

    /// <summary>forward-confirmed-reverse-dns: PTR(address) names the host, and that name's A record holds the
    /// address.</summary>
    public Task<CheckResult> ForwardConfirmedReverseDnsAsync(MtaExpectation mta, CancellationToken ct) =>
        Run(
            "forward-confirmed-reverse-dns",
            mta.Address.ToString(),
            mta.EhloName,
            async () =>
            {
                var ptr = await dns.ResolveAsync(ReverseName(mta.Address), QueryType.PTR, ct);
                if (ptr.Names.Count != 1)
                    return (
                        false,
                        ptr.Names.Count == 0
                            ? $"no PTR ({ptr.ResponseCode})"
                            : $"{ptr.Names.Count} PTR records: {string.Join(",", ptr.Names)}",
                        "exactly one PTR is expected"
                    );
                var name = ptr.Names[0];
                var forward = await dns.ResolveAsync(name, QueryType.A, ct);
                var confirmed = forward.Addresses.Contains(mta.Address);
                return (
                    confirmed && Same(name, mta.EhloName),
                    $"PTR {name} -> A {string.Join(",", forward.Addresses)}",
                    confirmed ? "" : "the PTR name does not resolve back to the address"
                );
            }
        );

    /// <summary>smtp-banner: the MTA on the address greets with 220 and its EHLO name equals the PTR name.</summary>
    public Task<CheckResult> SmtpBannerAsync(MtaExpectation mta, CancellationToken ct) =>
        Run(
            "smtp-banner",
            $"{mta.Address}:{_o.SmtpPort}",
            mta.EhloName,
            async () =>
            {
                await using var smtp = await SmtpConversation.OpenAsync(mta.Address, _o.SmtpPort, _o.SmtpTimeout, ct);
                var ehlo = await smtp.EhloAsync(_o.ProbeHeloName, ct);
                return (Same(ehlo, mta.EhloName), $"EHLO {ehlo}", $"greeting: {smtp.Greeting}");
            }
        );

    /// <summary>spf: the sending domain's SPF permits every new address within the lookup limit.</summary>
    public Task<CheckResult> SpfAsync(
        string zone,
        string sendingDomain,
        IReadOnlyList<IPAddress> addresses,
        CancellationToken ct
    ) =>
        Run(
            "spf",
            sendingDomain,
            $"pass for {string.Join(",", addresses)} within {_o.SpfLookupLimit} lookups",
            async () =>
            {
                var evaluator = new SpfEvaluator(new SpfDnsQueries(dns, zone), _o.SpfLookupLimit);
                var results = new List<string>();
                var all = true;
                foreach (var a in addresses)
                {
                    var r = await evaluator.CheckAsync(a, sendingDomain, ct);
                    all &= r.Permits;
                    results.Add($"{a}: {r.Name} ({r.Lookups} lookups; {r.Explanation})");
                }
                return (all, string.Join("; ", results), "");
            }
        );

    /// <summary>test-message: the MTA accepts one message (250 after DATA).</summary>
    public Task<CheckResult> TestMessageAsync(MtaExpectation mta, string from, string to, CancellationToken ct) =>
        Run(
            "test-message",
            $"{mta.Address}:{_o.SmtpPort}",
            "250 after DATA",
            async () =>
            {
                await using var smtp = await SmtpConversation.OpenAsync(mta.Address, _o.SmtpPort, _o.SmtpTimeout, ct);
                await smtp.EhloAsync(_o.ProbeHeloName, ct);
                var id = $"<cutover-probe-{Guid.NewGuid():n}@{_o.ProbeHeloName}>";
                var (code, text) = await smtp.SendAsync(from, to, id, "CutoverEngine verification", ct);
                return (code == 250, $"{code} {text}", $"message {id}");
            }
        );

    static async Task<CheckResult> Run(
        string check,
        string subject,
        string expected,
        Func<Task<(bool Passed, string Observed, string Detail)>> body
    )
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var (passed, observed, detail) = await body();
            return new CheckResult(check, subject, passed, expected, observed, detail, watch.Elapsed);
        }
        catch (Exception e)
            when (e
                    is SmtpProbeException
                        or DnsResponseException
                        or InvalidOperationException
                        or System.Net.Sockets.SocketException
                        or IOException
            )
        {
            return new CheckResult(check, subject, false, expected, e.Message, e.GetType().Name, watch.Elapsed);
        }
    }

    static bool Same(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    public static string ReverseName(IPAddress address) =>
        string.Join('.', address.GetAddressBytes().Reverse()) + ".in-addr.arpa";
}
