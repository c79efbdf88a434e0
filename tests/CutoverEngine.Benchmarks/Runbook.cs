using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Benchmarks;

/// <summary>One environment's result in any contestant: outcome and the downtime from pause to resume.</summary>
/// <summary>One environment's end. <paramref name="WindowBudgetSeconds"/>: the engine's window budget for it (null for
/// the scripts).</summary>
public sealed record EnvironmentResult(
    string EnvironmentId,
    IpStrategy Strategy,
    string Outcome,
    double? DowntimeSeconds,
    string? Problem,
    double? WindowBudgetSeconds = null
);

/// <summary>
/// The cutover as an engineer scripts it by hand, through the same gateways as the engine: pause, associate the
/// Elastic IPs (or advertise the BYOIP range and poll until it is advertised), UPSERT the A records, poll GetChange
/// every second until INSYNC, set the PTRs, check the SMTP banner on the new address, resume. No persistence, no
/// journal, no rollback: on a failure it resumes sending and reports the environment as failed.
/// </summary>
public sealed class Runbook(
    IRoute53Gateway route53,
    IElasticIpGateway elasticIps,
    IByoipGateway byoip,
    ISendingControl sending,
    int smtpPort
)
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);
    static readonly TimeSpan BannerDeadline = TimeSpan.FromSeconds(60);

    public async Task<EnvironmentResult> RunAsync(CutoverEnvironment e, string runId, CancellationToken ct)
    {
        var account = e.Account.Id;
        await sending.PauseAsync(e.SendingControl, Lease, $"runbook {runId}", $"{runId}-{e.Id}", ct);
        var paused = Stopwatch.GetTimestamp();
        string? problem = null;
        try
        {
            if (e.IpStrategy == IpStrategy.Byoip)
            {
                var cidr = e.ByoipCidr!.Value.ToString();
                await byoip.AdvertiseAsync(account, cidr, ct);
                while (
                    (await byoip.DescribeRangesAsync(account, ct)).FirstOrDefault(r => r.Cidr == cidr)?.State
                    != "advertised"
                )
                    await Task.Delay(Poll, ct);
            }
            else
            {
                foreach (var h in e.MtaHosts)
                    await elasticIps.AssociateAsync(
                        account,
                        h.Target.AllocationId!,
                        AddressTarget.Instance(h.Target.InstanceId),
                        ct
                    );
                var batch = new ChangeBatch(
                    [
                        .. e.MtaHosts.Select(h =>
                            RecordSetChange.Upsert(ResourceRecordSet.A(h.Name, 60, h.Target.Address.ToString()))
                        ),
                    ],
                    $"runbook {runId}"
                );
                var change = await route53.ChangeRecordSetsAsync(account, e.HostedZone.Id, batch, ct);
                await route53.WaitForInSyncAsync(account, change, Poll, TimeSpan.FromMinutes(10), ct);
                foreach (var h in e.MtaHosts)
                    await elasticIps.SetReverseDnsAsync(account, h.Target.AllocationId!, h.Target.EhloName, ct);
            }
            foreach (var h in e.MtaHosts)
                await AwaitBannerAsync(h.Target.Address, h.Target.EhloName, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            problem = $"{ex.GetType().Name}: {ex.Message}";
        }
        await sending.ResumeAsync(e.SendingControl, $"runbook {runId} {(problem is null ? "done" : "failed")}", ct);
        var downtime = Stopwatch.GetElapsedTime(paused).TotalSeconds;
        return new EnvironmentResult(e.Id, e.IpStrategy, problem is null ? "completed" : "failed", downtime, problem);
    }

    /// <summary>The minimal verification: the new address answers SMTP with a 220 greeting naming the MTA.</summary>
    async Task AwaitBannerAsync(IPAddress address, string name, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        string? last = null;
        while (Stopwatch.GetElapsedTime(started) < BannerDeadline)
        {
            try
            {
                using var client = new TcpClient();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await client.ConnectAsync(address, smtpPort, attempt.Token);
                using var reader = new StreamReader(client.GetStream());
                last = await reader.ReadLineAsync(attempt.Token);
                if (
                    last is not null
                    && last.StartsWith("220 ", StringComparison.Ordinal)
                    && last.Contains(name, StringComparison.OrdinalIgnoreCase)
                )
                    return;
            }
            catch (Exception ex)
                when (ex is SocketException or IOException
                    || (ex is OperationCanceledException && !ct.IsCancellationRequested)
                )
            {
                last = ex.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
        throw new TimeoutException(
            $"{address}:{smtpPort} did not greet as {name} within {BannerDeadline.TotalSeconds:0} s (last: {last ?? "nothing"})"
        );
    }
}
