using System.Net;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Reverts;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>A completed cutover reverted through the engine (workflow <c>revert</c>), asserted on the sandbox's own
/// state, its mail counters and the journal.</summary>
public sealed class RevertTests
{
    static string LiveA(CutoverHarness h, string name) =>
        string.Join(",", h.Sandbox.World.ResolveAuthoritative(name, "A").Records.SelectMany(r => r.Values));

    [Fact]
    public async Task A_reverted_elastic_ip_environment_sends_from_the_data_centre_again_and_cannot_be_reverted_twice()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var cutover = Assert.Single(await h.RunAsync("acme-stg"));
        Assert.True(cutover.Outcome == CutoverOutcomes.Completed, cutover.RollbackCause);
        Assert.Equal("127.20.1.11", LiveA(h, "mta1.stg.acme-mail.example"));

        var engine = h.Engine!;
        var id = await engine.Reverts.StartAsync("acme-stg", "customer reports bounces from the new addresses", "ops");
        // Asked again while it runs: the running revert is adopted, not a second one started.
        Assert.Equal(id, await engine.Reverts.StartAsync("acme-stg", "again", "ops"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var revert = Assert.Single(await engine.Reverts.WaitAsync(id, TimeSpan.FromMilliseconds(100), timeout.Token));

        Assert.True(revert.Outcome == CutoverOutcomes.Completed, revert.RollbackCause);
        Assert.Equal("127.10.1.11", LiveA(h, "mta1.stg.acme-mail.example"));
        Assert.Equal("dc-acme-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.10.1.11"))?.Id);
        Assert.Null(h.Sandbox.World.OwnerOf(IPAddress.Parse("127.20.1.11")));
        Assert.All(revert.LastChecks, c => Assert.True(c.Passed, $"{c.Check} {c.Subject}: {c.Observed}"));
        Assert.Contains(revert.LastChecks, c => c.Check == "smtp-banner" && c.Expected.Contains("mta1."));
        Assert.True(revert.Downtime.DowntimeSeconds > 0);
        Assert.NotNull(revert.Downtime.SendingGapSeconds);

        var env = h.Sandbox.SendingControl.Environment("acme-stg");
        env.GeneratorEnabled = false;
        await Eventually.UntilAsync(
            () => env.Status().QueueDepth,
            depth => depth == 0,
            TimeSpan.FromSeconds(90),
            "acme-stg's queue to drain",
            depth => $"{depth} still queued"
        );
        var status = env.Status();
        Assert.Equal(status.Produced, status.Delivered);
        Assert.Equal(0, h.Sandbox.Mail.Duplicates);
        Assert.Equal(2, status.Pauses.Count);
        var afterRevert = env.Deliveries().Where(d => d.DeliveredAt > status.Pauses[^1].ResumedAt).ToList();
        Assert.NotEmpty(afterRevert);
        Assert.All(afterRevert, d => Assert.StartsWith("dc-", d.HostId));

        var refused = await Assert.ThrowsAsync<RevertRefusedException>(() =>
            engine.Reverts.StartAsync("acme-stg", "twice", "ops")
        );
        Assert.Contains("reverted already", refused.Message);

        var history = await new JournalHistoryReader(engine.Journal).ReadEnvironmentAsync("acme-stg");
        Assert.NotNull(history);
        Assert.Equal("revert", history.DefinitionId);
        Assert.Equal(CutoverOutcomes.Completed, history.Outcome);
        Assert.Equal(cutover.InstanceId, history.RevertOf?.Reverts);
        Assert.Equal("ops", history.RevertOf?.Actor);
        Assert.Equal("customer reports bounces from the new addresses", history.RevertOf?.Reason);
        Assert.Equal(1, history.Entries[RevertStartedPayload.Event]);
    }

    [Fact]
    public async Task A_byoip_revert_withdraws_the_range_so_the_data_centre_answers_again()
    {
        await using var h = await CutoverHarness.StartAsync();
        Assert.Equal(CutoverOutcomes.Completed, Assert.Single(await h.RunAsync("globex-stg")).Outcome);
        var engine = h.Engine!;
        var id = await engine.Reverts.StartAsync("globex-stg", "rehearsal of the way back", "ops");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var revert = Assert.Single(await engine.Reverts.WaitAsync(id, TimeSpan.FromMilliseconds(100), timeout.Token));

        Assert.True(revert.Outcome == CutoverOutcomes.Completed, revert.RollbackCause);
        lock (h.Sandbox.World.Gate)
            Assert.Equal(
                "provisioned",
                h.Sandbox.World.Accounts["222222222222"].ByoipRanges["127.30.4.0/24"].StateAt(h.Sandbox.World.Now)
            );
        Assert.Equal("dc-globex-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.30.4.11"))?.Id);
    }

    [Fact]
    public async Task An_environment_without_a_completed_cutover_is_refused_and_nothing_is_journaled()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 15);
        Assert.Equal(CutoverOutcomes.RolledBack, Assert.Single(await h.RunAsync("umbrella-stg")).Outcome);
        var engine = h.Engine!;
        var before = (await engine.Journal.ReadAsync(new JournalQuery { Environment = "umbrella-stg" })).Count;

        var rolledBack = await Assert.ThrowsAsync<RevertRefusedException>(() =>
            engine.Reverts.StartAsync("umbrella-stg", "why not", "ops")
        );
        Assert.Contains("no completed cutover", rolledBack.Message);
        var noReason = await Assert.ThrowsAsync<RevertRefusedException>(() =>
            engine.Reverts.StartAsync("acme-stg", " ", "ops")
        );
        Assert.Contains("needs a reason", noReason.Message);
        Assert.Equal(before, (await engine.Journal.ReadAsync(new JournalQuery { Environment = "umbrella-stg" })).Count);
        Assert.Empty(await engine.Launcher.InFlightAsync());
    }
}
