using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers.Safety;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>The safety caps on the sandbox: what the sending side saw paused, and what the journal says held.</summary>
public sealed class SafetyCapTests
{
    /// <summary>The most environments the sandbox's sending side had paused at one instant, from its pause
    /// history.</summary>
    static int MostPausedAtOnce(CutoverHarness h, IEnumerable<string> environments)
    {
        var pauses = environments.SelectMany(id => h.Sandbox.SendingControl.Environment(id).Status().Pauses).ToList();
        Assert.All(pauses, p => Assert.NotNull(p.ResumedAt));
        // A resume at the same instant as another's pause ends first: they were not paused together.
        var edges = pauses
            .SelectMany(p => new[] { (At: p.PausedAt, Step: 1), (At: p.ResumedAt!.Value, Step: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Step);
        int paused = 0,
            most = 0;
        foreach (var (_, step) in edges)
            most = Math.Max(most, paused += step);
        return most;
    }

    static async Task<IReadOnlyList<JournalEntry>> HeldEntriesAsync(CutoverHarness h) =>
        [
            .. (await h.Engine!.Journal.ReadAsync(new JournalQuery { Wave = "e2e" })).Where(e =>
                e.Event == CutoverHeldPayload.Event
            ),
        ];

    [Fact]
    public async Task A_wave_wider_than_the_fleet_cap_never_pauses_more_than_the_cap()
    {
        await using var h = await CutoverHarness.StartAsync();
        h.EditSettings = s => s["Safety:MaxPausedEnvironments"] = "2";
        string[] environments = ["acme-dev", "acme-stg", "acme-prod", "hooli-stg", "umbrella-dev"];

        var results = await h.RunAsync(environments);

        Assert.All(results, r => Assert.Equal("completed", r.Outcome));
        var most = MostPausedAtOnce(h, environments);
        Assert.True(most <= 2, $"{most} environments were paused at once; the cap is 2");
        var held = await HeldEntriesAsync(h);
        Assert.NotEmpty(held);
        foreach (var entry in held)
        {
            var p = JournalPayload.Parse(entry.Payload);
            Assert.Equal("Safety:MaxPausedEnvironments", p.String("cap"));
            Assert.Equal(2, p.Integer("limit"));
            Assert.Equal(2, p.Strings("heldBy").Count);
            Assert.DoesNotContain(entry.Environment, p.Strings("heldBy"));
        }
        // One reason held each of them: journaled once however many times it asked again.
        Assert.All(held.GroupBy(e => e.WorkflowInstance), g => Assert.Single(g));
        Assert.Empty(await h.Engine!.Services.GetRequiredService<IPauseClaims>().HeldAsync());
        // The history says who waited, how long and for which cap; the wait ended at its pause.
        var entries = await h.Engine.Journal.ReadAsync(new JournalQuery());
        foreach (var instance in held.Select(e => e.WorkflowInstance).Distinct())
        {
            var admitted = Assert.Single(
                entries,
                e => e.WorkflowInstance == instance && e.Event == AdmissionWaitedPayload.Event
            );
            Assert.True(JournalPayload.Parse(admitted.Payload).Number("heldSeconds") > 0, admitted.Payload);
        }
        var history = JournalHistoryReader.BuildWave("e2e", entries);
        var waited = history.Environments.Where(e => e.Holds.Count > 0).ToList();
        Assert.Equal(held.Select(e => e.Environment).Order(), waited.Select(e => e.Environment).Order());
        Assert.All(
            waited,
            e =>
            {
                Assert.True(e.HeldBeforePause > TimeSpan.Zero, $"{e.Environment} held {e.HeldBeforePause}");
                Assert.True(e.Holds[0].HeldSince <= e.Downtime?.PausedAt, $"{e.Environment} paused while held");
            }
        );
    }

    [Fact]
    public async Task Two_production_environments_of_one_customer_are_never_paused_together()
    {
        await using var h = await CutoverHarness.StartAsync(topology: t =>
            t.Environments.Single(e => e.Id == "acme-stg").Tier = "production"
        );
        string[] environments = ["acme-stg", "acme-prod"];

        var results = await h.RunAsync(environments);

        Assert.All(results, r => Assert.Equal("completed", r.Outcome));
        Assert.Equal(1, MostPausedAtOnce(h, environments));
        var held = Assert.Single(await HeldEntriesAsync(h));
        var p = JournalPayload.Parse(held.Payload);
        Assert.Equal("Safety:OneProductionPausePerCustomer", p.String("cap"));
        Assert.Equal("Acme Corp", p.String("within"));
        Assert.Single(p.Strings("heldBy"), h2 => h2 != held.Environment);
    }

    [Fact]
    public async Task Reverts_pause_under_the_same_caps_as_cutovers()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        h.EditSettings = s => s["Safety:MaxPausedEnvironments"] = "1";
        string[] environments = ["acme-dev", "acme-stg"];
        Assert.All(await h.RunAsync(environments), r => Assert.Equal("completed", r.Outcome));
        var engine = h.Engine!;

        // Both asked at once: the revert has no await-admission, so its pause-sending claims the slot.
        var reverts = await Task.WhenAll(environments.Select(e => engine.Reverts.StartAsync(e, "rehearsal", "ops")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        foreach (var id in reverts)
            Assert.All(
                await engine.Reverts.WaitAsync(id, TimeSpan.FromMilliseconds(100), timeout.Token),
                r => Assert.True(r.Outcome == "completed", r.RollbackCause)
            );

        Assert.Equal(1, MostPausedAtOnce(h, environments));
        var held = await HeldEntriesAsync(h);
        Assert.Contains(held, e => e.DefinitionId == "revert" && e.Step == "pause-sending");
        Assert.Empty(await engine.Services.GetRequiredService<IPauseClaims>().HeldAsync());
    }
}
