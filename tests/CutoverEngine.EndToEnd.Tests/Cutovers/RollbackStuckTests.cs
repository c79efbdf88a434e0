using System.Net;
using System.Text.Json.Nodes;
using CutoverEngine.EndToEnd.Tests.Serve;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// When a rollback itself fails (README, "When a rollback fails"): umbrella-stg fails verification by design, and a
/// sandbox fault refuses the restore's AWS call for good, so the rollback holds sending paused, journals what it
/// left behind and waits for `cutover retry`.
/// </summary>
public sealed class RollbackStuckTests
{
    const string Environment = "umbrella-stg";
    const string DataCentreAddress = "127.10.10.11";
    const string AwsAddress = "127.20.10.11";

    static async Task<CutoverHarness> StartAsync(Action<SandboxTopology>? topology = null)
    {
        // The restores give up after two attempts (the shipped ten only take longer to fail the same way).
        var h = await CutoverHarness.StartAsync(
            definition: d =>
            {
                foreach (var step in d["rollback"]!.AsArray().OfType<JsonObject>())
                    if (step["kind"]!.GetValue<string>() is "RestoreDns" or "RestoreIps")
                        step["attempts"] = 2;
            },
            topology: topology
        );
        h.EditSettings = s => s["Cutovers:RollbackFailure:RetryPollInterval"] = "00:00:00.200";
        return h;
    }

    static async Task<IReadOnlyList<JournalEntry>> JournalAsync(CutoverHarness h, string environment = Environment) =>
        await h.Engine!.Journal.ReadAsync(new JournalQuery { Environment = environment });

    /// <summary>Waits for the forward path to reach verification (the repoint is done), then refuses
    /// <paramref name="action"/>: only the rollback meets the fault.</summary>
    static async Task RefuseOnceVerifyingAsync(CutoverHarness h, string action, string environment = Environment)
    {
        await Eventually.TrueAsync(
            async () =>
                (await JournalAsync(h, environment)).Any(e =>
                    e.Event == StepStartedPayload.Event && e.Step == "verify"
                ),
            TimeSpan.FromSeconds(60),
            () => $"{environment} to start verifying"
        );
        h.Sandbox.Faults.Refuse(action);
    }

    static async Task<JournalPayload> StuckAsync(CutoverHarness h, int count = 1, string environment = Environment) =>
        JournalPayload.Parse(
            (
                await Eventually.UntilAsync(
                    async () =>
                        (await JournalAsync(h, environment)).Where(e => e.Event == RollbackStuckPayload.Event).ToList(),
                    stuck => stuck.Count >= count,
                    TimeSpan.FromSeconds(90),
                    $"{count} rollback-stuck entries of {environment}",
                    stuck => $"{stuck.Count}"
                )
            )[count - 1].Payload
        );

    static Task<(int ExitCode, string Stdout, string Stderr)> RetryCliAsync(
        CutoverHarness h,
        string reason,
        string environment = Environment
    ) =>
        ServeProcess.RunCutoverAsync(
            h,
            "retry",
            environment,
            "--reason",
            reason,
            "--follow",
            "00:01:30",
            "--config",
            h.WriteConfigFile()
        );

    [Fact]
    public async Task A_restore_of_the_addresses_that_fails_holds_the_pause_until_a_retry_finishes_the_rollback()
    {
        await using var h = await StartAsync();
        await h.StartEngineAsync();
        var run = h.RunAsync(Environment);
        await RefuseOnceVerifyingAsync(h, "ec2:DisassociateAddress");

        var stuck = await StuckAsync(h);
        Assert.Equal("restore-ips", stuck.String("step"));
        Assert.True(stuck.Boolean("holding"));
        Assert.Contains("OperationNotPermitted", stuck.String("cause"));
        // The state left behind, read back: records restored, the Elastic IP still on the AWS instance.
        var left = stuck.Object("leftBehind");
        var address = Assert.Single(left.Objects("addresses"));
        Assert.Equal(AwsAddress, address.String("publicIp"));
        Assert.Null(address.String("before"));
        Assert.NotNull(address.String("now"));
        Assert.Equal("aws-umbrella-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse(AwsAddress))?.Id);
        Assert.True(h.Sandbox.SendingControl.Environment(Environment).Status().Paused);
        Assert.False(run.IsCompleted);
        var instance = (await JournalAsync(h)).Last(e => e.Event == RollbackStuckPayload.Event).WorkflowInstance!;
        // The journal entry precedes WorkflowCore's persisting of the step's data.
        await Eventually.UntilAsync(
            async () => (await h.Engine!.Launcher.ReadAsync(instance)).Outcome,
            outcome => outcome == CutoverOutcomes.RollbackStuck,
            TimeSpan.FromSeconds(10),
            "the held cutover's stored outcome"
        );
        Assert.Equal(
            "cutover-rollback-stuck",
            Engine.Webhooks.WebhookEvents.Of((await JournalAsync(h)).Last(e => e.Event == RollbackStuckPayload.Event))
        );

        h.Sandbox.Faults.Allow("ec2:DisassociateAddress");
        var (exit, stdout, stderr) = await RetryCliAsync(h, "EC2 permission mended");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        var result = Assert.Single(await run);
        Assert.Equal(CutoverOutcomes.RolledBack, result.Outcome);
        Assert.Null(h.Sandbox.World.OwnerOf(IPAddress.Parse(AwsAddress)));
        Assert.Equal("dc-umbrella-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse(DataCentreAddress))?.Id);
        var status = h.Sandbox.SendingControl.Environment(Environment).Status();
        Assert.False(status.Paused);
        // The pause was held throughout: one pause, resumed once by the rollback.
        Assert.Single(status.Pauses);
        var asked = Assert.Single(await JournalAsync(h), e => e.Event == RollbackRetryRequestedPayload.Event);
        Assert.StartsWith("cli:", asked.Actor);
        Assert.Equal("restore-ips", asked.Step);
        Assert.Equal("EC2 permission mended", JournalPayload.Parse(asked.Payload).String("reason"));
    }

    [Fact]
    public async Task A_restore_of_dns_that_fails_holds_the_pause_through_a_failed_retry_and_the_budget_end()
    {
        await using var h = await StartAsync();
        var clock = new ShiftableClock();
        await h.StartEngineAsync(s =>
            s.AddSingleton(sp => ActivatorUtilities.CreateInstance<StepFrameServices>(sp, clock))
        );
        var run = h.RunAsync(Environment);
        await RefuseOnceVerifyingAsync(h, "route53:ChangeResourceRecordSets");

        var stuck = await StuckAsync(h);
        Assert.Equal("restore-dns", stuck.String("step"));
        Assert.True(stuck.Boolean("holding"));
        var record = Assert.Single(stuck.Object("leftBehind").Objects("records"));
        Assert.Equal(AwsAddress, Assert.Single(record.Strings("now")));
        Assert.Equal(DataCentreAddress, Assert.Single(record.Strings("before")));

        // A retry while the cause stands: the step fails again and holds again.
        var (exit, stdout, stderr) = await RetryCliAsync(h, "try again");
        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        await StuckAsync(h, 2);

        // The budget ends while held: the records are not restored, so sending stays paused and people are paged.
        clock.Shift(TimeSpan.FromMinutes(61));
        var spent = await StuckAsync(h, 3);
        Assert.True(spent.Boolean("budgetSpent"));
        Assert.True(spent.Boolean("holding"));
        Assert.True(h.Sandbox.SendingControl.Environment(Environment).Status().Paused);
        Assert.False(run.IsCompleted);

        h.Sandbox.Faults.Allow("route53:ChangeResourceRecordSets");
        (exit, stdout, stderr) = await RetryCliAsync(h, "Route 53 mended");
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Equal(CutoverOutcomes.RolledBack, Assert.Single(await run).Outcome);
        Assert.Single(h.Sandbox.SendingControl.Environment(Environment).Status().Pauses);
    }

    [Fact]
    public async Task A_restore_of_the_addresses_that_fails_resumes_when_the_budget_ends_on_restored_records()
    {
        await using var h = await StartAsync();
        var clock = new ShiftableClock();
        await h.StartEngineAsync(s =>
            s.AddSingleton(sp => ActivatorUtilities.CreateInstance<StepFrameServices>(sp, clock))
        );
        var run = h.RunAsync(Environment);
        await RefuseOnceVerifyingAsync(h, "ec2:DisassociateAddress");
        await StuckAsync(h);

        clock.Shift(TimeSpan.FromMinutes(61));
        var spent = await StuckAsync(h, 2);

        Assert.True(spent.Boolean("budgetSpent"));
        Assert.False(spent.Boolean("holding"));
        var result = Assert.Single(await run);
        Assert.Equal(CutoverOutcomes.Failed, result.Outcome);
        Assert.Contains(result.RollbackProblems, p => p.StartsWith("restore-ips:", StringComparison.Ordinal));
        Assert.False(h.Sandbox.SendingControl.Environment(Environment).Status().Paused);
        // The stray association is left for the incident; the old MTA sends from its own address.
        Assert.Equal("aws-umbrella-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse(AwsAddress))?.Id);
    }

    /// <summary>globex-dev moves a BYOIP range; here its new MTA greets wrongly, so it rolls back, and the
    /// withdrawal from AWS is refused.</summary>
    const string ByoipEnvironment = "globex-dev";
    const string ByoipAccount = "222222222222";
    const string ByoipRange = "127.30.3.0/24";

    static string RangeState(CutoverHarness h)
    {
        lock (h.Sandbox.World.Gate)
            return h.Sandbox.World.Accounts[ByoipAccount].ByoipRanges[ByoipRange].StateAt(h.Sandbox.World.Now);
    }

    [Fact]
    public async Task A_byoip_range_whose_withdrawal_fails_stays_paused_past_the_budget_until_a_retry_withdraws_it()
    {
        await using var h = await StartAsync(t =>
        {
            t.Hosts.Single(x => x.Id == "aws-globex-dev-mta1").Name = "ip-10-0-3-11.ec2.internal";
            t.Environments.Single(e => e.Id == ByoipEnvironment).DesignedFailure = DesignedFailure.WrongGreeting;
        });
        var clock = new ShiftableClock();
        await h.StartEngineAsync(s =>
            s.AddSingleton(sp => ActivatorUtilities.CreateInstance<StepFrameServices>(sp, clock))
        );
        var run = h.RunAsync(ByoipEnvironment);
        await RefuseOnceVerifyingAsync(h, "ec2:WithdrawByoipCidr", ByoipEnvironment);

        var stuck = await StuckAsync(h, 1, ByoipEnvironment);
        Assert.Equal("restore-ips", stuck.String("step"));
        Assert.True(stuck.Boolean("holding"));
        var range = stuck.Object("leftBehind").Object("range");
        Assert.Equal(ByoipRange, range.String("cidr"));
        Assert.NotEqual(range.String("before"), range.String("now"));
        Assert.Equal("advertised", RangeState(h));

        // The budget ends while the range is still advertised from AWS: sending stays paused and people are paged.
        clock.Shift(TimeSpan.FromMinutes(61));
        var spent = await StuckAsync(h, 2, ByoipEnvironment);
        Assert.True(spent.Boolean("budgetSpent"));
        Assert.True(spent.Boolean("holding"));
        Assert.True(h.Sandbox.SendingControl.Environment(ByoipEnvironment).Status().Paused);
        Assert.False(run.IsCompleted);

        h.Sandbox.Faults.Allow("ec2:WithdrawByoipCidr");
        var (exit, stdout, stderr) = await RetryCliAsync(h, "EC2 permission mended", ByoipEnvironment);
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Equal(CutoverOutcomes.RolledBack, Assert.Single(await run).Outcome);
        Assert.NotEqual("advertised", RangeState(h));
        var status = h.Sandbox.SendingControl.Environment(ByoipEnvironment).Status();
        Assert.False(status.Paused);
        Assert.Single(status.Pauses);
    }

    [Fact]
    public async Task A_retry_when_nothing_is_stuck_is_refused_and_changes_nothing()
    {
        await using var h = await StartAsync();
        await h.StartEngineAsync();
        Assert.Equal(CutoverOutcomes.RolledBack, Assert.Single(await h.RunAsync(Environment)).Outcome);
        var before = (await JournalAsync(h)).Count;

        var (exit, _, stderr) = await RetryCliAsync(h, "why not");

        Assert.Equal(2, exit);
        Assert.Contains("nothing is stuck", stderr);
        Assert.Equal(before, (await JournalAsync(h)).Count);
        await Assert.ThrowsAsync<RollbackRetryRefusedException>(() =>
            h.Engine!.Services.GetRequiredService<RollbackRetry>().RequestAsync(Environment, null, "ops")
        );
    }
}
