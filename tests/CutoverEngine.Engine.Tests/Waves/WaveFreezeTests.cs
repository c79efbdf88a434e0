using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Waves.Freezes;
using CutoverEngine.Testing;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>
/// Change freezes (issue #14 part 2) on the real store, journal, calendar file and WorkflowCore triggers, with a
/// fake clock: scheduling into a freeze is refused naming it, an override reason records it (and a production wave
/// needs its approvals again), a freeze added after scheduling blocks the start at its time and a freeze lifted
/// within the grace period lets it start; an invalid calendar refuses everything, naming the error's line.
/// </summary>
public sealed class WaveFreezeTests
{
    static readonly DateTimeOffset Due = WaveWorld.T0.AddDays(8);
    const string Waiver = "test: notice and staging-first waived";

    static string Calendar(string directory, string yaml)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "freezes.yaml");
        File.WriteAllText(path, yaml);
        // The calendar is read again when its write time or length changes; a test editing it within one tick of
        // the file system's clock must still be seen.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1000)));
        return path;
    }

    static string Freeze(string name, DateTimeOffset from, DateTimeOffset to, string? customers = null) =>
        $"""
            version: 1
            freezes:
              - name: {name}
                from: {from:O}
                to: {to:O}
                reason: peak sending
            {(customers is null ? "" : $"    customers: [{customers}]\n")}
            """;

    static WaveWorld World(string calendar, ApprovalOptions? approvals = null) =>
        new(approvals: approvals, prepare: new() { Required = PrepareRequirement.None }, freezeCalendar: calendar);

    static string CalendarPath() =>
        Path.Combine(Path.GetTempPath(), "cutover-freeze-tests", Guid.NewGuid().ToString("N"), "freezes.yaml");

    [Fact]
    public async Task Scheduling_into_a_freeze_is_refused_naming_it_and_an_override_reason_records_it()
    {
        var path = CalendarPath();
        Calendar(Path.GetDirectoryName(path)!, Freeze("black-friday", Due.AddHours(-1), Due.AddHours(1)));
        await using var w = World(path);
        await w.Service.CreateAsync("s1", ["acme-stg"], Due, 1, WaveOrder.Tier, "api:alice");

        var refused = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("s1", Due, "api:alice")
        );
        var violation = Assert.Single(refused.Violations, v => v.Rule == "freeze");
        Assert.Contains("'black-friday' (all customers", violation.Message, StringComparison.Ordinal);
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("s1")).State);

        // Outside the freeze: allowed (the window of 60 min from 2 h after its end).
        await w.Service.ScheduleAsync("s1", Due.AddHours(2), "api:alice", overrideReason: Waiver);
        var moved = Assert.Single(
            (
                await Assert.ThrowsAsync<PolicyRefusedException>(() =>
                    w.Service.RescheduleAsync("s1", Due, "api:alice", "back to the first time")
                )
            ).Violations,
            v => v.Rule == "freeze"
        );
        Assert.Contains("acme-stg", moved.Message, StringComparison.Ordinal);

        await w.Service.RescheduleAsync("s1", Due, "api:alice", "customer insists", "freeze waived: customer insists");
        var wave = await w.Store.GetAsync("s1");
        Assert.Equal(Due, wave.ScheduledFor);
        Assert.Empty(await w.Service.FreezeConflictsAsync(wave));
        var overrides = await w.Store.OverridesAsync("s1");
        Assert.Contains(overrides, o => o.Violations.Any(v => v.Rule == "freeze"));
    }

    [Fact]
    public async Task A_freeze_added_after_scheduling_blocks_the_start_and_lifting_it_within_grace_lets_it_start()
    {
        var path = CalendarPath();
        var directory = Path.GetDirectoryName(path)!;
        Calendar(directory, "");
        await using var w = World(path);
        await w.Service.CreateAsync("s2", ["acme-stg"], Due, 1, WaveOrder.Tier, "api:alice");
        await w.Service.ScheduleAsync("s2", Due, "api:alice", overrideReason: Waiver);

        Calendar(directory, Freeze("acme-quarter-end", Due.AddHours(-3), Due.AddMinutes(30), "ACME"));
        w.Clock.Advance(Due - WaveWorld.T0 + WaveSchedulerTests.Tick);
        var blocked = await Eventually.UntilAsync<CutoverEngine.Engine.Audit.JournalEntry?>(
            async () =>
                (await w.Journal.ReadAsync(new() { Wave = "s2" })).FirstOrDefault(e => e.Event == "wave-blocked"),
            e => e is not null,
            WaveWorld.Deadline,
            "wave-blocked journaled"
        );
        Assert.Contains("frozen: acme-stg", blocked!.Payload, StringComparison.Ordinal);
        Assert.Contains("customer ACME", blocked.Payload, StringComparison.Ordinal);
        Assert.Empty(w.Starter.Started);

        // The freeze is lifted (the file emptied) within the grace period: the next try starts it.
        Calendar(directory, "version: 1\nfreezes: []\n");
        w.Clock.Advance(w.Options.BlockedRetryInterval + WaveSchedulerTests.Tick);
        await w.StartedAsync(1);
        Assert.Equal(WaveState.Running, (await w.Store.GetAsync("s2")).State);
    }

    [Fact]
    public async Task Overriding_a_freeze_for_a_production_wave_needs_its_approvals_again()
    {
        var path = CalendarPath();
        var directory = Path.GetDirectoryName(path)!;
        Calendar(directory, "");
        await using var w = World(path, new ApprovalOptions());
        await w.Service.CreateAsync("p1", ["acme-prod"], Due, 1, WaveOrder.Tier, "api:alice");
        await w.Service.ScheduleAsync("p1", Due, "api:alice", overrideReason: Waiver);
        await w.Service.ApproveAsync("p1", "api:bob", "ok");
        await w.Service.ApproveAsync("p1", "api:carol", "ok");
        Assert.Empty(await w.Service.MissingApprovalsAsync(await w.Store.GetAsync("p1")));

        // A freeze now covers the present: a start now breaks it.
        Calendar(directory, Freeze("incident-freeze", WaveWorld.T0.AddHours(-1), WaveWorld.T0.AddDays(1)));
        var refused = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.StartNowAsync("p1", "api:alice")
        );
        Assert.Contains(refused.Violations, v => v.Rule == "freeze" && v.Message.Contains("'incident-freeze'"));

        w.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await Assert.ThrowsAsync<WaveNotApprovedException>(() =>
            w.Service.StartNowAsync("p1", "api:alice", "incident fixed; customer asked")
        );
        Assert.Contains("since its change freeze was overridden", again.Message, StringComparison.Ordinal);
        Assert.Equal(WaveState.Scheduled, (await w.Store.GetAsync("p1")).State);

        w.Clock.Advance(TimeSpan.FromMinutes(1));
        await w.Service.ApproveAsync("p1", "api:bob", "ok despite the freeze");
        await w.Service.ApproveAsync("p1", "api:carol", "ok despite the freeze");
        var started = await w.Service.StartNowAsync("p1", "api:alice", "incident fixed; customer asked");
        Assert.Equal(WaveState.Running, started.State);
    }

    [Fact]
    public async Task An_invalid_calendar_refuses_scheduling_naming_the_line_and_changes_nothing()
    {
        var path = CalendarPath();
        Calendar(
            Path.GetDirectoryName(path)!,
            "version: 1\nfreezes:\n  - name: x\n    from: 2026-11-26\n    to: 2026-12-01T00:00:00Z\n"
        );
        await using var w = World(path);
        await w.Service.CreateAsync("s3", ["acme-stg"], Due, 1, WaveOrder.Tier, "api:alice");
        var refused = await Assert.ThrowsAsync<FreezeCalendarException>(() =>
            w.Service.ScheduleAsync("s3", Due, "api:alice", overrideReason: Waiver)
        );
        Assert.Contains("freezes.yaml:4:11: freezes[0].from:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("with an offset", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("s3")).State);
        Assert.Empty(await w.Scheduler.TriggersAsync("s3"));
    }
}
