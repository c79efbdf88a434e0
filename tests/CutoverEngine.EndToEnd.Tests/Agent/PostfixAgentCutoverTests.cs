using System.Globalization;
using System.Text.Json;
using CutoverEngine.Agent.Leases;
using CutoverEngine.Testing;
using Xunit.Abstractions;

namespace CutoverEngine.EndToEnd.Tests.Agent;

/// <summary>
/// `cutover run` of one environment whose sending control is a `cutover agent` over a real Postfix that relays to the
/// environment's MTA host name, resolved through the sandbox's DNS (<see cref="PostfixAgentRig"/>). The sending
/// application keeps handing mail to Postfix throughout; the sandbox's MTAs count every Message-ID by address.
/// </summary>
[Collection("real postfix end to end")]
public sealed class PostfixAgentCutoverTests(ITestOutputHelper output)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>Mail already in Postfix's active queue when the pause lands may still be delivered: the SIGHUP
    /// restarts the queue manager, and deliveries in flight finish.</summary>
    static readonly TimeSpan PauseTakesEffect = TimeSpan.FromSeconds(2);

    static async Task<(int Exit, string Stdout, string Stderr)> FinishAsync(System.Diagnostics.Process run)
    {
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
            await run.WaitForExitAsync(timeout.Token);
        return (run.ExitCode, await stdout, await stderr);
    }

    static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    [Fact]
    public async Task After_the_cutover_postfix_delivers_to_the_aws_host_each_message_once_and_only_after_the_resume()
    {
        await using var rig = await PostfixAgentRig.StartAsync();
        var oldAddresses = rig.Environment.MtaHosts.Select(h => h.CurrentAddress).ToHashSet();
        var newAddresses = rig.Environment.MtaHosts.Select(h => h.Target.Address).ToHashSet();

        // Before the cutover the host name resolves to the data centre: Postfix's lookup goes through the sandbox.
        var first = await rig.InjectAsync("before");
        var before = await Eventually.UntilAsync(
            () => rig.Receipts().Where(r => r.MessageId == first).ToList(),
            r => r.Count > 0,
            Deadline,
            "the first message delivered through the host name"
        );
        Assert.Contains(Assert.Single(before).Address, oldAddresses);

        var configFile = rig.Harness.WriteConfigFile();
        var inventoryFile = rig.WriteInventoryFile();
        rig.StartProducing();
        using var run = rig.StartCutover(configFile, inventoryFile);
        var (exit, stdout, stderr) = await FinishAsync(run);
        Assert.True(exit == 0, stderr + stdout);
        var summary = JsonDocument.Parse(stdout).RootElement.GetProperty("environments")[0];
        Assert.Equal("completed", summary.GetProperty("outcome").GetString());

        // A few more seconds of mail after the cutover, then everything produced must have arrived.
        var afterRun = rig.Produced.Count;
        await Eventually.TrueAsync(() => rig.Produced.Count >= afterRun + 8, Deadline, () => "mail after the run");
        await rig.StopProducingAsync();
        var receipts = await rig.AllDeliveredAsync(Deadline);

        var status = await rig.StatusAsync();
        Assert.False(status.Paused);
        var pause = Assert.Single(status.Pauses);
        Assert.Equal(SendingPauses.ResumedByApi, pause.ResumedBy);
        var resumeStarted = pause.ResumeStartedAt!.Value;
        var resumed = pause.ResumedAt!.Value;

        // produced == delivered, 0 duplicates.
        Assert.Equal(rig.Produced.Count, receipts.Count);
        Assert.All(rig.Produced.Keys, id => Assert.Equal(1, rig.Harness.Sandbox.Mail.TimesAccepted(id)));
        // Nothing while paused; on the new host only after the resume; nothing to the old host after it.
        Assert.DoesNotContain(
            receipts,
            r => r.AcceptedAt > pause.PausedAt + PauseTakesEffect && r.AcceptedAt < resumeStarted
        );
        var onNew = receipts.Where(r => newAddresses.Contains(r.Address)).ToList();
        Assert.NotEmpty(onNew);
        Assert.All(
            onNew,
            r =>
                Assert.True(
                    r.AcceptedAt >= resumeStarted,
                    $"{r.MessageId} on the new host at {r.AcceptedAt:O}, resume started {resumeStarted:O}"
                )
        );
        Assert.DoesNotContain(receipts, r => oldAddresses.Contains(r.Address) && r.AcceptedAt >= resumeStarted);

        // Engine and sending side agree on the downtime.
        var downtime = summary;
        var engineSeconds = downtime.GetProperty("downtimeSeconds").GetDouble();
        var gapSeconds = downtime.GetProperty("sendingGapSeconds").GetDouble();
        var agentSeconds = (resumed - pause.PausedAt).TotalSeconds;
        Assert.False(
            downtime.GetProperty("measurementsDisagree").GetBoolean(),
            $"engine {engineSeconds} s ({downtime.GetProperty("pausedAt")} to {downtime.GetProperty("resumedAt")}), "
                + $"sending gap {gapSeconds} s, agent {agentSeconds} s ({pause.PausedAt:O} to {resumed:O})"
        );
        Assert.InRange(gapSeconds, agentSeconds - 0.001, agentSeconds + 0.001);
        Assert.InRange(engineSeconds, agentSeconds - 2, agentSeconds + 2);

        var held = rig.Produced.Count(p => p.Value > pause.PausedAt && p.Value < resumeStarted);
        Assert.True(held > 0, "no mail was produced while sending was paused");
        var firstOnNew = onNew.Min(r => r.AcceptedAt);
        output.WriteLine(
            $"downtime: engine {Seconds(engineSeconds)}, sending side (agent pause to resume) {Seconds(agentSeconds)}; "
                + $"{held} messages held during the pause; first delivery to the AWS host {Seconds((firstOnNew - resumed).TotalSeconds)} "
                + $"after the agent recorded the resume; {receipts.Count} delivered, {onNew.Count} to the AWS host"
        );
    }

    [Fact]
    public async Task With_the_engine_killed_mid_pause_postfix_resumes_by_the_agents_lease_and_delivers_each_once()
    {
        // The shortest lease a definition allows; Route 53 holds the change PENDING for 40 s, so the engine is still
        // waiting for INSYNC, mid-pause, when it is killed.
        await using var rig = await PostfixAgentRig.StartAsync(
            definition: d => d["pauseLeaseMinutes"] = 1,
            topology: w => w.Settings.InsyncDelaySeconds = 40
        );
        var configFile = rig.Harness.WriteConfigFile();
        var inventoryFile = rig.WriteInventoryFile();
        rig.StartProducing();
        using (var run = rig.StartCutover(configFile, inventoryFile))
        {
            // Watched from the thread pool on Postfix's own setting: the sandbox in this process keeps the test's
            // own threads busy during a cutover, and an agent status read runs two Postfix commands.
            await Task.Run(() =>
                Eventually.TrueAsync(
                    async () => await rig.Postfix.DeferTransportsAsync() != "" || run.HasExited,
                    Deadline,
                    () => "the engine to pause sending through the agent"
                )
            );
            Assert.False(run.HasExited, "the engine exited before pausing");
            run.Kill(entireProcessTree: true); // SIGKILL: the engine neither renews nor resumes
            await run.WaitForExitAsync();
        }
        var paused = await rig.StatusAsync();
        Assert.True(paused.Paused, "the agent, not the dead engine, holds the pause");
        var expiry = paused.LeaseExpiresAt!.Value;

        var lapsed = await Eventually.UntilAsync(
            rig.StatusAsync,
            s => !s.Paused,
            expiry - DateTimeOffset.UtcNow + Deadline,
            "the agent to resume Postfix by lease-expiry"
        );
        var pause = Assert.Single(lapsed.Pauses);
        Assert.Equal(SendingPauses.ResumedByLeaseExpiry, pause.ResumedBy);
        Assert.Equal("resumed by lease-expiry", lapsed.LastResume);

        var afterLapse = rig.Produced.Count;
        await Eventually.TrueAsync(() => rig.Produced.Count >= afterLapse + 8, Deadline, () => "mail after the lapse");
        await rig.StopProducingAsync();
        var receipts = await rig.AllDeliveredAsync(Deadline);
        Assert.Equal(rig.Produced.Count, receipts.Count);
        Assert.All(rig.Produced.Keys, id => Assert.Equal(1, rig.Harness.Sandbox.Mail.TimesAccepted(id)));

        // Held mail went only once the lease had lapsed: each message produced while Postfix was paused was accepted
        // at or after the instant the agent recorded starting its resume by lease-expiry (one host clock), and that
        // instant is not before the lease's expiry.
        var resumeStarted = pause.ResumeStartedAt!.Value;
        Assert.True(resumeStarted >= expiry, $"the resume started {resumeStarted:O}, before the expiry {expiry:O}");
        var during = rig
            .Produced.Where(p => p.Value > pause.PausedAt + PauseTakesEffect && p.Value < resumeStarted)
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(during);
        var early = receipts.Where(r => during.Contains(r.MessageId!) && r.AcceptedAt < resumeStarted).ToList();
        var firstHeld = receipts.Where(r => during.Contains(r.MessageId!)).Min(r => r.AcceptedAt);
        output.WriteLine(
            $"lease lapse: resume started {Seconds((resumeStarted - expiry).TotalSeconds)} and completed "
                + $"{Seconds((pause.ResumedAt!.Value - expiry).TotalSeconds)} after the expiry; {during.Count} produced "
                + $"during the pause, the first of them accepted {Seconds((firstHeld - expiry).TotalSeconds)} after it"
        );
        Assert.True(
            early.Count == 0,
            $"{early.Count} of {during.Count} messages produced during the pause were accepted before the lapse, "
                + $"e.g. {early.FirstOrDefault()?.MessageId} at {early.FirstOrDefault()?.AcceptedAt:O}"
        );
    }
}
