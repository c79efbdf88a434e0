using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>
/// The wave store's contract, run against every database it keeps waves in (the classes deriving from it), so the
/// SQLite file and the PostgreSQL database a fleet shares cannot drift apart. The races stand for several nodes: each
/// <see cref="NewStore"/> is another store instance (its own connections) on the same database.
/// </summary>
public abstract class WaveStoreContract : IAsyncLifetime
{
    static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Planned = T0.AddDays(14);

    /// <summary>A new store on this test's database, as another node (or process) would open it.</summary>
    protected abstract WaveStore NewStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    static Wave Draft(string id, params string[] environments) =>
        Wave.Draft(id, environments.Length == 0 ? ["acme-dev", "acme-stg"] : environments, Planned, 2, WaveOrder.Tier);

    [Fact]
    public async Task A_created_wave_reads_back_with_its_environments_in_order_and_its_creator()
    {
        var store = NewStore();
        var wave = Wave.Draft("w1", ["acme-stg", "acme-dev", "acme-prod"], Planned, 3, WaveOrder.Explicit);

        await store.CreateAsync(wave, "alice", T0);

        foreach (var reader in new[] { store, NewStore() })
        {
            var stored = await reader.GetAsync("w1");
            Assert.Equal(["acme-stg", "acme-dev", "acme-prod"], stored.Environments);
            Assert.Equal(Planned, stored.PlannedStart);
            Assert.Equal(3, stored.Parallel);
            Assert.Equal(WaveOrder.Explicit, stored.Order);
            Assert.Equal(WaveState.Draft, stored.State);
            Assert.Null(stored.ScheduledFor);
            Assert.Null(stored.StateReason);
        }
        Assert.Equal("alice", await store.CreatorAsync("w1"));
        Assert.Null(await store.FindAsync("w2"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetAsync("w2"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.CreatorAsync("w2"));
    }

    [Fact]
    public async Task Creating_the_same_wave_again_is_a_no_op_and_a_different_one_with_its_id_is_refused()
    {
        var store = NewStore();
        await store.CreateAsync(Draft("w1"), "alice", T0);

        var again = await store.CreateAsync(Draft("w1"), "bob", T0.AddHours(1));

        Assert.Equal(["acme-dev", "acme-stg"], again.Environments);
        Assert.Equal("alice", await store.CreatorAsync("w1"));
        var error = await Assert.ThrowsAsync<WaveStateException>(() =>
            store.CreateAsync(Draft("w1", "acme-prod"), "bob", T0)
        );
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(["acme-dev", "acme-stg"], (await store.GetAsync("w1")).Environments);
    }

    [Fact]
    public async Task Waves_list_by_planned_start_then_id_and_filter_by_state()
    {
        var store = NewStore();
        await store.CreateAsync(Wave.Draft("w-b", ["e1"], Planned, 1, WaveOrder.Tier), "alice", T0);
        await store.CreateAsync(Wave.Draft("w-a", ["e2"], Planned, 1, WaveOrder.Tier), "alice", T0);
        await store.CreateAsync(Wave.Draft("w-0", ["e3"], Planned.AddDays(1), 1, WaveOrder.Tier), "alice", T0);
        await store.CreateAsync(Wave.Draft("w-z", ["e4"], Planned.AddDays(-1), 1, WaveOrder.Tier), "alice", T0);
        var draft = await store.GetAsync("w-a");
        Assert.True(await store.TryUpdateAsync(draft, draft.Schedule(Planned), T0));

        Assert.Equal(["w-z", "w-a", "w-b", "w-0"], (await store.ListAsync()).Select(w => w.Id));
        Assert.Equal(["w-a"], (await store.ListAsync(WaveState.Scheduled)).Select(w => w.Id));
        Assert.Equal(["e2"], (await store.ListAsync(WaveState.Scheduled))[0].Environments);
        Assert.Empty(await store.ListAsync(WaveState.Running));
    }

    [Fact]
    public async Task An_update_writes_only_while_the_stored_state_and_schedule_are_the_ones_the_caller_read()
    {
        var store = NewStore();
        var draft = await store.CreateAsync(Draft("w1"), "alice", T0);
        var scheduled = draft.Schedule(Planned);

        Assert.True(await store.TryUpdateAsync(draft, scheduled, T0));
        Assert.False(await store.TryUpdateAsync(draft, draft.Cancel("stale: read while a draft"), T0));
        var rescheduled = scheduled.Schedule(Planned.AddHours(2));
        Assert.False(
            await store.TryUpdateAsync(scheduled with { ScheduledFor = Planned.AddHours(1) }, rescheduled, T0)
        );
        Assert.True(await store.TryUpdateAsync(scheduled, rescheduled, T0));
        Assert.True(await store.TryUpdateAsync(rescheduled, rescheduled.Cancel("customer asked"), T0));

        var stored = await store.GetAsync("w1");
        Assert.Equal(WaveState.Cancelled, stored.State);
        Assert.Equal("customer asked", stored.StateReason);
        Assert.Equal(Planned.AddHours(2), stored.ScheduledFor);
    }

    [Fact]
    public async Task A_claim_starts_a_scheduled_wave_once_and_only_for_the_instant_it_is_scheduled_for()
    {
        var store = NewStore();
        var draft = await store.CreateAsync(Draft("w1"), "alice", T0);
        Assert.False(await store.TryClaimAsync("w1", Planned, T0), "a draft is claimed");
        Assert.True(await store.TryUpdateAsync(draft, draft.Schedule(Planned), T0));

        Assert.False(await store.TryClaimAsync("w1", Planned.AddMinutes(-5), Planned), "a stale instant is claimed");
        Assert.True(await store.TryClaimAsync("w1", Planned, Planned));
        Assert.False(await store.TryClaimAsync("w1", Planned, Planned));
        Assert.False(await NewStore().TryClaimAsync("w1", Planned, Planned));

        var stored = await store.GetAsync("w1");
        Assert.Equal(WaveState.Running, stored.State);
        Assert.Equal(Planned, stored.ScheduledFor);
        Assert.Null(stored.StateReason);
    }

    [Fact]
    public async Task Moving_an_environment_appends_it_to_the_target_and_owes_the_source_invitation_a_cancel()
    {
        var store = NewStore();
        var source = await store.CreateAsync(Draft("w1", "acme-dev", "acme-stg"), "alice", T0);
        var target = await store.CreateAsync(Draft("w2", "acme-prod"), "alice", T0);
        await store.RecordNoticeAsync(new NoticeRecord("w1", "acme-stg", "acme", T0, "alice", null, true));
        Assert.Equal(1, await store.NextSequenceAsync("w1", "acme-stg"));

        Assert.True(await store.TryMoveEnvironmentAsync("acme-stg", source, target, T0, cancelReason: "moved to w2"));

        Assert.Equal(["acme-dev"], (await store.GetAsync("w1")).Environments);
        Assert.Equal(["acme-prod", "acme-stg"], (await store.GetAsync("w2")).Environments);
        var cancel = Assert.Single(await store.PendingInvitationCancelsAsync("acme-stg"));
        Assert.Equal(new InvitationCancel("w1", "acme-stg", 1, "moved to w2"), cancel);
        Assert.Equal(2, await store.NextSequenceAsync("w1", "acme-stg"));
        await store.MarkInvitationCancelSentAsync(cancel, T0.AddMinutes(1));
        await store.MarkInvitationCancelSentAsync(cancel, T0.AddMinutes(2));
        Assert.Empty(await store.PendingInvitationCancelsAsync("acme-stg"));

        Assert.False(
            await store.TryMoveEnvironmentAsync("acme-stg", source, target, T0),
            "moved what w1 no longer holds"
        );
        Assert.False(
            await store.TryMoveEnvironmentAsync("acme-dev", source with { State = WaveState.Scheduled }, target, T0),
            "moved out of a wave whose state changed"
        );
        Assert.True(await store.TryMoveEnvironmentAsync("acme-dev", source, target, T0));
        Assert.Equal(["acme-prod", "acme-stg", "acme-dev"], (await store.GetAsync("w2")).Environments);
        Assert.Empty(await store.PendingInvitationCancelsAsync("acme-dev"));
    }

    [Fact]
    public async Task Dropping_an_environment_takes_it_out_only_of_a_wave_still_in_the_state_read()
    {
        var store = NewStore();
        var wave = await store.CreateAsync(Draft("w1", "acme-dev", "acme-stg"), "alice", T0);

        Assert.False(await store.TryDropEnvironmentAsync("acme-dev", wave with { State = WaveState.Scheduled }, T0));
        Assert.True(await store.TryDropEnvironmentAsync("acme-dev", wave, T0));
        Assert.False(await store.TryDropEnvironmentAsync("acme-dev", wave, T0));

        Assert.Equal(["acme-stg"], (await store.GetAsync("w1")).Environments);
    }

    [Fact]
    public async Task Notices_count_as_sent_only_when_the_relay_took_them_and_the_latest_per_environment_counts()
    {
        var store = NewStore();
        await store.CreateAsync(Draft("w1"), "alice", T0);
        await store.RecordNoticeAsync(new NoticeRecord("w1", "acme-dev", "acme", T0, "alice", "dev.ics", false));
        Assert.False(await store.HasSentNoticeAsync("w1", "acme-dev"));
        await store.RecordNoticeAsync(new NoticeRecord("w1", "acme-dev", "acme", T0.AddDays(1), "alice", null, true));
        await store.RecordNoticeAsync(new NoticeRecord("w1", "acme-stg", "acme", T0.AddDays(2), "bob", null, false));

        Assert.True(await store.HasSentNoticeAsync("w1", "acme-dev"));
        Assert.False(await store.HasSentNoticeAsync("w1", "acme-stg"));
        Assert.False(await store.HasSentNoticeAsync("w2", "acme-dev"));
        var latest = await store.LatestNoticesAsync(["acme-dev", "acme-stg", "acme-prod"]);
        Assert.Equal(2, latest.Count);
        Assert.Equal(T0.AddDays(1), latest["acme-dev"]);
        Assert.Equal(T0.AddDays(2), latest["acme-stg"]);
        Assert.Equal(2, await store.NextSequenceAsync("w1", "acme-dev"));
    }

    [Fact]
    public async Task Overrides_read_back_in_the_order_recorded_with_their_violations()
    {
        var store = NewStore();
        var violation = new PolicyViolation("acme-prod", "notice-period", "notified 2 days ahead, 7 required");
        await store.RecordOverrideAsync(
            new OverrideRecord("w1", "schedule", new PolicyOverride("customer agreed", "alice", T0), [violation])
        );
        await store.RecordOverrideAsync(
            new OverrideRecord("w1", "start", new PolicyOverride("urgent", "bob", T0.AddHours(1)), [])
        );

        var overrides = await store.OverridesAsync("w1");

        Assert.Equal(["schedule", "start"], overrides.Select(o => o.Operation));
        Assert.Equal(new PolicyOverride("customer agreed", "alice", T0), overrides[0].Override);
        Assert.Equal([violation], overrides[0].Violations);
        Assert.Empty(overrides[1].Violations);
        Assert.Empty(await store.OverridesAsync("w2"));
    }

    [Fact]
    public async Task Approvals_stand_until_their_person_revokes_them_and_only_that_person_s()
    {
        var store = NewStore();
        await store.RecordApprovalAsync("w1", new WaveApproval("ops", "carol", "checked", T0, "terms-1"));
        await store.RecordApprovalAsync("w1", new WaveApproval("ops", "dave", "fine", T0.AddMinutes(1), "terms-1"));
        await store.RecordApprovalAsync("w1", new WaveApproval("ops", "carol", "again", T0.AddMinutes(2), "terms-2"));
        await store.RecordApprovalAsync("w2", new WaveApproval("ops", "carol", "other", T0, "terms-9"));

        Assert.Equal(["checked", "fine", "again"], (await store.ApprovalsAsync("w1")).Select(a => a.Reason));
        Assert.Equal(2, await store.RevokeApprovalsAsync("w1", "carol", "erin", "left the team", T0.AddHours(1)));
        Assert.Equal(0, await store.RevokeApprovalsAsync("w1", "carol", "erin", "again", T0.AddHours(2)));

        var standing = Assert.Single(await store.ApprovalsAsync("w1"));
        Assert.Equal(new WaveApproval("ops", "dave", "fine", T0.AddMinutes(1), "terms-1"), standing);
        Assert.Single(await store.ApprovalsAsync("w2"));
    }

    [Fact]
    public async Task A_freeze_override_recorded_again_for_the_same_terms_keeps_the_first()
    {
        var store = NewStore();
        await store.RecordFreezeOverridesAsync("w1", "t1", ["xmas"], new PolicyOverride("agreed", "alice", T0));

        await store.RecordFreezeOverridesAsync(
            "w1",
            "t1",
            ["xmas", "new-year"],
            new PolicyOverride("replayed", "bob", T0.AddHours(1))
        );

        var overrides = (await store.FreezeOverridesAsync("w1", "t1")).OrderBy(o => o.Freeze, StringComparer.Ordinal);
        Assert.Equal([("new-year", T0.AddHours(1)), ("xmas", T0)], overrides);
        Assert.Empty(await store.FreezeOverridesAsync("w1", "t2"));
    }

    [Fact]
    public async Task A_reminder_is_claimed_once_and_owed_until_it_is_marked_sent()
    {
        var store = NewStore();

        Assert.Equal(ReminderClaim.Claimed, await store.ClaimReminderAsync("w1", "acme-stg", Planned, T0));
        Assert.Equal(ReminderClaim.Unsent, await NewStore().ClaimReminderAsync("w1", "acme-stg", Planned, T0));
        Assert.Equal(ReminderClaim.Claimed, await store.ClaimReminderAsync("w1", "acme-dev", Planned, T0));
        // A rescheduled start owes a reminder of its own.
        Assert.Equal(ReminderClaim.Claimed, await store.ClaimReminderAsync("w1", "acme-stg", Planned.AddDays(1), T0));
        await store.MarkReminderSentAsync("w1", "acme-stg", Planned, T0.AddMinutes(1));

        Assert.Equal(ReminderClaim.Sent, await store.ClaimReminderAsync("w1", "acme-stg", Planned, T0));
        Assert.Equal(ReminderClaim.Unsent, await store.ClaimReminderAsync("w1", "acme-dev", Planned, T0));
    }

    [Fact]
    public async Task Cutovers_record_their_instance_then_outcome_and_the_environment_s_last_is_the_last_recorded()
    {
        var store = NewStore();
        await store.RecordCutoverAsync("w1", "acme-stg", "wf-1", null);
        Assert.Null(await store.LastCutoverAsync("acme-stg"));
        await store.RecordCutoverAsync("w2", "acme-stg", "wf-2", null);
        await store.RecordCutoverAsync("w2", "acme-stg", "wf-2", "rolled-back");
        // The first wave's outcome comes in last: still the earlier cutover of the environment.
        await store.RecordCutoverAsync("w1", "acme-stg", "wf-1", "completed");
        await store.RecordCutoverAsync("w1", "acme-dev", "wf-3", null);

        Assert.Equal(("w2", "wf-2", "rolled-back"), await store.LastCutoverAsync("acme-stg"));
        Assert.True(await store.HasSucceededAsync("acme-stg"));
        Assert.False(await store.HasSucceededAsync("acme-dev"));
        var cutovers = await store.CutoversAsync("w1");
        Assert.Equal(2, cutovers.Count);
        Assert.Equal(("wf-1", "completed"), cutovers["acme-stg"]);
        Assert.Equal(("wf-3", (string?)null), cutovers["acme-dev"]);
    }

    [Fact]
    public async Task Other_waves_holding_an_environment_are_those_in_the_states_asked_for()
    {
        var store = NewStore();
        await store.CreateAsync(Draft("w1", "acme-stg"), "alice", T0);
        var w2 = await store.CreateAsync(Draft("w2", "acme-stg", "acme-dev"), "alice", T0);
        await store.CreateAsync(Draft("w3", "acme-stg"), "alice", T0);
        await store.CreateAsync(Draft("w4", "acme-dev"), "alice", T0);
        Assert.True(await store.TryUpdateAsync(w2, w2.Schedule(Planned), T0));

        Assert.Equal(
            ["w3"],
            await store.OtherWavesHoldingAsync("acme-stg", "w1", [WaveState.Draft, WaveState.Running])
        );
        Assert.Equal(
            ["w2", "w3"],
            await store.OtherWavesHoldingAsync("acme-stg", "w1", [WaveState.Draft, WaveState.Scheduled])
        );
    }

    [Fact]
    public async Task Nodes_racing_to_start_a_scheduled_wave_start_it_exactly_once_each_round()
    {
        var nodes = new[] { NewStore(), NewStore() };
        const int Rounds = 20;
        const int ClaimsPerNode = 4;
        for (var round = 0; round < Rounds; round++)
        {
            var id = $"w{round}";
            var at = Planned.AddMinutes(round);
            var draft = await nodes[0].CreateAsync(Draft(id), "alice", T0);
            Assert.True(await nodes[1].TryUpdateAsync(draft, draft.Schedule(at), T0));

            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var claims = Enumerable
                .Range(0, nodes.Length * ClaimsPerNode)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        await go.Task;
                        return await nodes[i % nodes.Length].TryClaimAsync(id, at, at);
                    })
                )
                .ToList();
            go.SetResult();
            var won = await Task.WhenAll(claims);

            Assert.True(won.Count(w => w) == 1, $"round {round}: {won.Count(w => w)} claims won");
            Assert.Equal(WaveState.Running, (await nodes[round % nodes.Length].GetAsync(id)).State);
        }
    }

    [Fact]
    public async Task Nodes_racing_to_claim_a_reminder_get_one_claim_each_round()
    {
        var nodes = new[] { NewStore(), NewStore() };
        for (var round = 0; round < 20; round++)
        {
            var at = Planned.AddMinutes(round);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var claims = Enumerable
                .Range(0, 8)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        await go.Task;
                        return await nodes[i % nodes.Length].ClaimReminderAsync("w1", "acme-stg", at, T0);
                    })
                )
                .ToList();
            go.SetResult();
            var outcomes = await Task.WhenAll(claims);

            Assert.Equal(1, outcomes.Count(o => o == ReminderClaim.Claimed));
            Assert.Equal(7, outcomes.Count(o => o == ReminderClaim.Unsent));
        }
    }

    [Fact]
    public async Task Nodes_creating_the_same_wave_at_once_all_get_it_and_it_is_stored_once()
    {
        // The create reads before it inserts: without its writes serialized, the second node's insert would fail on
        // the duplicate key instead of finding the first node's wave.
        var nodes = new[] { NewStore(), NewStore() };
        for (var round = 0; round < 10; round++)
        {
            var wave = Draft($"w{round}");
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var creates = Enumerable
                .Range(0, 6)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        await go.Task;
                        return await nodes[i % nodes.Length].CreateAsync(wave, $"node-{i}", T0);
                    })
                )
                .ToList();
            go.SetResult();
            var created = await Task.WhenAll(creates);

            Assert.All(created, w => Assert.Equal(["acme-dev", "acme-stg"], w.Environments));
            Assert.Equal(["acme-dev", "acme-stg"], (await nodes[0].GetAsync(wave.Id)).Environments);
        }
        Assert.Equal(10, (await nodes[1].ListAsync()).Count);
    }
}
