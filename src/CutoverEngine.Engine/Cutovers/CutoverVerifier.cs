using System.Net;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>Runs a definition's checks for every MTA of a cutover (or a revert: the data-centre side), in parallel per
/// host.</summary>
public sealed class CutoverVerifier(MtaChecks checks, TimeProvider clock) : ICutoverVerifier
{
    public async Task<IReadOnlyList<CheckRecord>> VerifyAsync(
        CutoverData moved,
        IReadOnlyList<string> names,
        CancellationToken ct
    )
    {
        var subject = moved.Subject;
        var mtas = subject
            .MtaHosts.Select(h => new MtaExpectation(
                h.Name,
                IPAddress.Parse(moved.AddressAfterMove(h)),
                moved.GreetingAfterMove(h)
            ))
            .ToList();
        var work = new List<Task<CheckResult>>();
        foreach (var name in names)
        {
            switch (name)
            {
                case CheckNames.AuthoritativeDns:
                    work.AddRange(mtas.Select(m => checks.AuthoritativeDnsAsync(subject.HostedZoneName, m, ct)));
                    break;
                case CheckNames.ForwardConfirmedReverseDns:
                    work.AddRange(mtas.Select(m => checks.ForwardConfirmedReverseDnsAsync(m, ct)));
                    break;
                case CheckNames.SmtpBanner:
                    work.AddRange(mtas.Select(m => checks.SmtpBannerAsync(m, ct)));
                    break;
                case CheckNames.Spf:
                    work.Add(
                        checks.SpfAsync(
                            subject.HostedZoneName,
                            subject.SendingDomain,
                            [.. mtas.Select(m => m.Address)],
                            ct
                        )
                    );
                    break;
                case CheckNames.TestMessage when subject.TestMessageFrom is { } from && subject.TestMessageTo is { } to:
                    work.AddRange(mtas.Select(m => checks.TestMessageAsync(m, from, to, ct)));
                    break;
            }
        }
        var results = await Task.WhenAll(work);
        var at = clock.GetUtcNow();
        return
        [
            .. results.Select(r => new CheckRecord
            {
                Check = r.Check,
                Subject = r.Subject,
                Passed = r.Passed,
                Expected = r.Expected,
                Observed = r.Observed,
                Detail = r.Detail,
                At = at,
            }),
        ];
    }
}
