using CutoverEngine.Engine.Persistence;
using WorkflowCore.Exceptions;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Persistence;

public enum IpKind
{
    ElasticIp,
    Byoip,
}

public sealed class CutoverPlanData
{
    public string Customer { get; set; } = "";
    public IpKind Kind { get; set; }
    public decimal DowntimeBudgetSeconds { get; set; }
    public DateTime PausedAtUtc { get; set; }
    public List<string> Addresses { get; set; } = [];
    public Dictionary<string, int> RecordTtls { get; set; } = [];
    public NestedNote? Note { get; set; }
}

public sealed record NestedNote(string Text, int Attempt);

/// <summary>
/// The workflow store's contract, as WorkflowCore and the engine rely on it: one suite, run against every store (the
/// classes deriving from it), so the SQLite and PostgreSQL providers cannot drift apart.
/// </summary>
public abstract class PersistenceProviderContract : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>A new provider on this test's store (a second one sees only what the first committed).</summary>
    protected abstract IWorkflowStore NewProvider(TimeProvider? time = null);

    /// <summary>The first value of a query run directly on the store (row counts in assertions).</summary>
    protected abstract Task<long> ScalarAsync(string sql);

    /// <summary>What every not-found message must name: the store's
    /// <see cref="IWorkflowStore.StoreDescription"/>.</summary>
    protected abstract string StoreName { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static WorkflowInstance NewInstance(
        string definition = "cutover",
        DateTime? created = null,
        object? data = null
    ) =>
        new()
        {
            WorkflowDefinitionId = definition,
            Version = 2,
            Description = "cut over acme",
            Reference = "acme-prod",
            Status = WorkflowStatus.Runnable,
            NextExecution = 0,
            CreateTime = created ?? T0,
            Data = data ?? new CutoverPlanData { Customer = "acme" },
        };

    [Fact]
    public async Task Instance_with_pointers_and_custom_data_round_trips()
    {
        var provider = NewProvider();
        var data = new CutoverPlanData
        {
            Customer = "acme",
            Kind = IpKind.Byoip,
            DowntimeBudgetSeconds = 12.75m,
            PausedAtUtc = T0.AddMinutes(3),
            Addresses = ["198.51.100.7", "198.51.100.8"],
            RecordTtls = new() { ["mx.acme.example"] = 60 },
            Note = new NestedNote("paused", 2),
        };
        var instance = NewInstance(data: data);
        instance.ExecutionPointers.Add(
            new ExecutionPointer
            {
                Id = "p1",
                StepId = 0,
                StepName = "PauseSending",
                Status = PointerStatus.Complete,
                Active = false,
                StartTime = T0,
                EndTime = T0.AddSeconds(2),
                Outcome = "done",
                Children = ["p2"],
            }
        );
        var waiting = new ExecutionPointer
        {
            Id = "p2",
            StepId = 1,
            Status = PointerStatus.WaitingForEvent,
            Active = true,
            SleepUntil = T0.AddMinutes(5),
            PredecessorId = "p1",
            EventName = "dns-verified",
            EventKey = "acme",
            EventPublished = false,
            RetryCount = 3,
            PersistenceData = new NestedNote("retry", 3),
            ContextItem = 42L,
            Scope = ["p0", "p1"],
        };
        waiting.ExtensionAttributes["attempt"] = new NestedNote("ext", 1);
        waiting.ExtensionAttributes["plain"] = "text";
        instance.ExecutionPointers.Add(waiting);

        var id = await provider.CreateNewWorkflow(instance);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, instance.Id);

        // Read through a second provider: nothing may come from memory.
        var loaded = await NewProvider().GetWorkflowInstance(id);

        Assert.Equal("cutover", loaded.WorkflowDefinitionId);
        Assert.Equal(2, loaded.Version);
        Assert.Equal("cut over acme", loaded.Description);
        Assert.Equal("acme-prod", loaded.Reference);
        Assert.Equal(WorkflowStatus.Runnable, loaded.Status);
        Assert.Equal(0, loaded.NextExecution);
        Assert.Equal(T0, loaded.CreateTime);
        Assert.Equal(DateTimeKind.Utc, loaded.CreateTime.Kind);
        Assert.Null(loaded.CompleteTime);

        var loadedData = Assert.IsType<CutoverPlanData>(loaded.Data);
        Assert.Equal("acme", loadedData.Customer);
        Assert.Equal(IpKind.Byoip, loadedData.Kind);
        Assert.Equal(12.75m, loadedData.DowntimeBudgetSeconds);
        Assert.Equal(T0.AddMinutes(3), loadedData.PausedAtUtc);
        Assert.Equal(["198.51.100.7", "198.51.100.8"], loadedData.Addresses);
        Assert.Equal(60, loadedData.RecordTtls["mx.acme.example"]);
        Assert.Equal(new NestedNote("paused", 2), loadedData.Note);

        Assert.Equal(["p1", "p2"], loaded.ExecutionPointers.Select(p => p.Id));
        var p1 = loaded.ExecutionPointers.FindById("p1");
        Assert.Equal("PauseSending", p1.StepName);
        Assert.Equal(PointerStatus.Complete, p1.Status);
        Assert.Equal(T0.AddSeconds(2), p1.EndTime);
        Assert.Equal("done", p1.Outcome);
        Assert.Equal(["p2"], p1.Children);

        var p2 = loaded.ExecutionPointers.FindById("p2");
        Assert.Equal(1, p2.StepId);
        Assert.Equal(PointerStatus.WaitingForEvent, p2.Status);
        Assert.True(p2.Active);
        Assert.Equal(T0.AddMinutes(5), p2.SleepUntil);
        Assert.Equal("p1", p2.PredecessorId);
        Assert.Equal("dns-verified", p2.EventName);
        Assert.Equal("acme", p2.EventKey);
        Assert.Equal(3, p2.RetryCount);
        Assert.Equal(new NestedNote("retry", 3), p2.PersistenceData);
        Assert.Equal(42L, p2.ContextItem);
        Assert.Equal(["p0", "p1"], p2.Scope);
        Assert.Equal(new NestedNote("ext", 1), p2.ExtensionAttributes["attempt"]);
        Assert.Equal("text", p2.ExtensionAttributes["plain"]);
        Assert.Empty(p2.Children);
    }

    [Fact]
    public async Task Persist_updates_pointers_in_place_adds_new_ones_and_drops_removed_ones()
    {
        var provider = NewProvider();
        var instance = NewInstance();
        instance.ExecutionPointers.Add(
            new ExecutionPointer
            {
                Id = "a",
                StepId = 0,
                Status = PointerStatus.Running,
                Active = true,
            }
        );
        instance.ExecutionPointers.Add(
            new ExecutionPointer
            {
                Id = "b",
                StepId = 1,
                Status = PointerStatus.Pending,
            }
        );
        await provider.CreateNewWorkflow(instance);

        var loaded = await provider.GetWorkflowInstance(instance.Id);
        loaded.ExecutionPointers.FindById("a").Status = PointerStatus.Complete;
        loaded.ExecutionPointers.Remove(loaded.ExecutionPointers.FindById("b"));
        loaded.ExecutionPointers.Add(
            new ExecutionPointer
            {
                Id = "c",
                StepId = 2,
                Status = PointerStatus.Pending,
            }
        );
        loaded.Status = WorkflowStatus.Complete;
        loaded.CompleteTime = T0.AddHours(1);
        loaded.NextExecution = null;
        ((CutoverPlanData)loaded.Data).Customer = "acme-renamed";
        await provider.PersistWorkflow(loaded);

        var again = await provider.GetWorkflowInstance(instance.Id);
        Assert.Equal(WorkflowStatus.Complete, again.Status);
        Assert.Equal(T0.AddHours(1), again.CompleteTime);
        Assert.Null(again.NextExecution);
        Assert.Equal("acme-renamed", ((CutoverPlanData)again.Data).Customer);
        Assert.Equal(2, again.ExecutionPointers.Count);
        Assert.Equal(PointerStatus.Complete, again.ExecutionPointers.FindById("a").Status);
        Assert.Null(again.ExecutionPointers.FindById("b"));
        Assert.Equal(["a", "c"], again.ExecutionPointers.Select(p => p.Id));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM execution_pointer"));
    }

    [Fact]
    public async Task Persist_with_subscriptions_stores_them_in_the_same_call_and_assigns_ids()
    {
        var provider = NewProvider();
        var instance = NewInstance();
        await provider.CreateNewWorkflow(instance);
        var subscription = new EventSubscription
        {
            WorkflowId = instance.Id,
            StepId = 1,
            ExecutionPointerId = "p2",
            EventName = "approval",
            EventKey = "acme",
            SubscribeAsOf = T0,
        };

        await provider.PersistWorkflow(instance, [subscription]);
        Assert.False(string.IsNullOrEmpty(subscription.Id));
        await provider.PersistWorkflow(instance, [subscription]); // a retried call must not duplicate it

        var found = Assert.Single(await provider.GetSubscriptions("approval", "acme", T0));
        Assert.Equal(subscription.Id, found.Id);
        Assert.Equal("p2", found.ExecutionPointerId);
    }

    [Fact]
    public async Task Unknown_instance_is_reported_not_found_by_get_and_persist()
    {
        var provider = NewProvider();
        var get = await Assert.ThrowsAsync<NotFoundException>(() => provider.GetWorkflowInstance("missing"));
        Assert.Contains("missing", get.Message);
        Assert.Contains(StoreName, get.Message);
        await Assert.ThrowsAsync<NotFoundException>(() =>
            provider.PersistWorkflow(new WorkflowInstance { Id = "missing", WorkflowDefinitionId = "x" })
        );
    }

    [Fact]
    public async Task Creating_an_instance_twice_with_the_same_id_is_refused_clearly()
    {
        var provider = NewProvider();
        var first = NewInstance();
        first.Id = "cutover-acme-1";
        Assert.Equal("cutover-acme-1", await provider.CreateNewWorkflow(first));

        var second = NewInstance();
        second.Id = "cutover-acme-1";
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateNewWorkflow(second));
        Assert.Contains("cutover-acme-1", ex.Message);
    }

    [Fact]
    public async Task Runnable_instances_are_those_runnable_and_due_at_the_given_time()
    {
        var provider = NewProvider();
        async Task<string> Add(WorkflowStatus status, long? next)
        {
            var w = NewInstance();
            w.Status = status;
            w.NextExecution = next;
            return await provider.CreateNewWorkflow(w);
        }

        var dueLong = await Add(WorkflowStatus.Runnable, 0);
        var dueNow = await Add(WorkflowStatus.Runnable, T0.Ticks);
        var future = await Add(WorkflowStatus.Runnable, T0.AddSeconds(1).Ticks);
        await Add(WorkflowStatus.Runnable, null); // waiting for an event
        await Add(WorkflowStatus.Suspended, 0);
        await Add(WorkflowStatus.Complete, 0);

        Assert.Equal([dueLong, dueNow], await provider.GetRunnableInstances(T0));
        Assert.Equal([dueLong, dueNow, future], await provider.GetRunnableInstances(T0.AddSeconds(1)));
        Assert.Equal([dueLong], await provider.GetRunnableInstances(T0.AddTicks(-1)));
        // WorkflowCore passes local time (DateTime.Now); it must mean the same instant.
        Assert.Equal([dueLong, dueNow], await provider.GetRunnableInstances(T0.ToLocalTime()));
    }

    // WorkflowCore marks the paged query obsolete on its interface; the providers keep it, and so does the contract.
#pragma warning disable CS0612
    [Fact]
    public async Task Instances_can_be_filtered_and_paged_in_creation_order()
    {
        var provider = NewProvider();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var w = NewInstance(definition: i % 2 == 0 ? "cutover" : "rollback", created: T0.AddMinutes(i));
            w.Status = i == 6 ? WorkflowStatus.Terminated : WorkflowStatus.Runnable;
            ids.Add(await provider.CreateNewWorkflow(w));
        }

        var all = (await provider.GetWorkflowInstances(null, null!, null, null, 0, 100)).Select(w => w.Id).ToList();
        Assert.Equal(ids, all);
        Assert.Equal(
            ids.Skip(2).Take(3),
            (await provider.GetWorkflowInstances(null, null!, null, null, 2, 3)).Select(w => w.Id)
        );
        Assert.Equal(
            [ids[0], ids[2], ids[4], ids[6]],
            (await provider.GetWorkflowInstances(null, "cutover", null, null, 0, 100)).Select(w => w.Id)
        );
        Assert.Equal(
            [ids[6]],
            (await provider.GetWorkflowInstances(WorkflowStatus.Terminated, null!, null, null, 0, 100)).Select(w =>
                w.Id
            )
        );
        Assert.Equal(
            [ids[2], ids[4]],
            (
                await provider.GetWorkflowInstances(
                    WorkflowStatus.Runnable,
                    "cutover",
                    T0.AddMinutes(1),
                    T0.AddMinutes(5),
                    0,
                    100
                )
            ).Select(w => w.Id)
        );
        Assert.Empty(await provider.GetWorkflowInstances(null, null!, null, null, 0, 0));

        var byIds = (await provider.GetWorkflowInstances([ids[3], "unknown", ids[1]]))
            .Select(w => w.Id)
            .Order()
            .ToList();
        Assert.Equal(new[] { ids[1], ids[3] }.Order(), byIds);
        Assert.Empty(await provider.GetWorkflowInstances(null!));
    }

#pragma warning restore CS0612

    [Fact]
    public async Task Events_lifecycle_follows_what_the_event_consumer_needs()
    {
        var provider = NewProvider();
        var early = await provider.CreateEvent(
            new Event
            {
                EventName = "approval",
                EventKey = "acme",
                EventTime = T0,
                EventData = new NestedNote("ok", 1),
            }
        );
        var later = await provider.CreateEvent(
            new Event
            {
                EventName = "approval",
                EventKey = "acme",
                EventTime = T0.AddMinutes(1),
            }
        );
        var otherKey = await provider.CreateEvent(
            new Event
            {
                EventName = "approval",
                EventKey = "globex",
                EventTime = T0,
            }
        );
        var nullKey = await provider.CreateEvent(
            new Event
            {
                EventName = "approval",
                EventKey = null!,
                EventTime = T0,
            }
        );

        var loaded = await provider.GetEvent(early);
        Assert.Equal("approval", loaded.EventName);
        Assert.Equal("acme", loaded.EventKey);
        Assert.Equal(T0, loaded.EventTime);
        Assert.Equal(DateTimeKind.Utc, loaded.EventTime.Kind);
        Assert.False(loaded.IsProcessed);
        Assert.Equal(new NestedNote("ok", 1), loaded.EventData);

        Assert.Equal(new[] { early, otherKey, nullKey }.Order(), (await provider.GetRunnableEvents(T0)).Order());
        Assert.Equal([early, later], await provider.GetEvents("approval", "acme", T0));
        Assert.Equal([later], await provider.GetEvents("approval", "acme", T0.AddSeconds(1)));
        Assert.Equal([nullKey], await provider.GetEvents("approval", null!, T0));

        await provider.MarkEventProcessed(early);
        Assert.True((await provider.GetEvent(early)).IsProcessed);
        Assert.DoesNotContain(early, await provider.GetRunnableEvents(T0.AddHours(1)));
        Assert.Contains(early, await provider.GetEvents("approval", "acme", T0)); // processed events still count for late subscribers

        await provider.MarkEventUnprocessed(early);
        Assert.Contains(early, await provider.GetRunnableEvents(T0.AddHours(1)));
        await provider.MarkEventProcessed("unknown"); // no-op
        await Assert.ThrowsAsync<NotFoundException>(() => provider.GetEvent("unknown"));
    }

    [Fact]
    public async Task Subscriptions_lifecycle_with_external_tokens()
    {
        var clock = new ManualClock(new DateTimeOffset(T0));
        var provider = NewProvider(clock);
        var first = new EventSubscription
        {
            WorkflowId = "wf1",
            StepId = 3,
            EventName = Event.EventTypeActivity,
            EventKey = "verify-dns",
            SubscribeAsOf = T0,
            SubscriptionData = new NestedNote("params", 0),
        };
        var second = new EventSubscription
        {
            WorkflowId = "wf2",
            StepId = 3,
            EventName = Event.EventTypeActivity,
            EventKey = "verify-dns",
            SubscribeAsOf = T0.AddSeconds(1),
        };
        var firstId = await provider.CreateEventSubscription(first);
        var secondId = await provider.CreateEventSubscription(second);
        Assert.Equal(firstId, first.Id);

        Assert.Empty(await provider.GetSubscriptions(Event.EventTypeActivity, "verify-dns", T0.AddTicks(-1)));
        Assert.Equal(
            [firstId],
            (await provider.GetSubscriptions(Event.EventTypeActivity, "verify-dns", T0)).Select(s => s.Id)
        );
        Assert.Equal(
            [firstId, secondId],
            (await provider.GetSubscriptions(Event.EventTypeActivity, "verify-dns", T0.AddSeconds(1))).Select(s => s.Id)
        );
        Assert.Equal(new NestedNote("params", 0), (await provider.GetSubscription(firstId)).SubscriptionData);

        // Worker A takes the oldest open one.
        var open = await provider.GetFirstOpenSubscription(Event.EventTypeActivity, "verify-dns", T0.AddSeconds(5));
        Assert.Equal(firstId, open.Id);
        Assert.True(await provider.SetSubscriptionToken(firstId, "token-a", "worker-a", T0.AddMinutes(1)));
        var held = await provider.GetSubscription(firstId);
        Assert.Equal("token-a", held.ExternalToken);
        Assert.Equal("worker-a", held.ExternalWorkerId);
        Assert.Equal(T0.AddMinutes(1), held.ExternalTokenExpiry);

        // While A holds it, it is not open and B cannot take it; A setting its own token again is fine.
        Assert.Equal(
            secondId,
            (await provider.GetFirstOpenSubscription(Event.EventTypeActivity, "verify-dns", T0.AddSeconds(5))).Id
        );
        Assert.False(await provider.SetSubscriptionToken(firstId, "token-b", "worker-b", T0.AddMinutes(2)));
        Assert.True(await provider.SetSubscriptionToken(firstId, "token-a", "worker-a", T0.AddMinutes(1)));

        // A wrong token cannot release it; the right one can, and releasing twice is harmless.
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.ClearSubscriptionToken(firstId, "token-b"));
        await provider.ClearSubscriptionToken(firstId, "token-a");
        await provider.ClearSubscriptionToken(firstId, "token-a");
        var released = await provider.GetSubscription(firstId);
        Assert.Null(released.ExternalToken);
        Assert.Null(released.ExternalWorkerId);
        Assert.Null(released.ExternalTokenExpiry);

        // A token past its expiry no longer holds the subscription.
        Assert.True(await provider.SetSubscriptionToken(firstId, "token-a", "worker-a", T0.AddMinutes(1)));
        Assert.Equal(
            secondId,
            (await provider.GetFirstOpenSubscription(Event.EventTypeActivity, "verify-dns", T0.AddSeconds(30))).Id
        );
        Assert.Equal(
            firstId,
            (await provider.GetFirstOpenSubscription(Event.EventTypeActivity, "verify-dns", T0.AddMinutes(2))).Id
        );
        clock.Now = new DateTimeOffset(T0.AddMinutes(2));
        Assert.True(await provider.SetSubscriptionToken(firstId, "token-b", "worker-b", T0.AddMinutes(3)));
        Assert.Equal("worker-b", (await provider.GetSubscription(firstId)).ExternalWorkerId);

        await provider.TerminateSubscription(firstId);
        await provider.TerminateSubscription(firstId); // idempotent
        Assert.Null(await provider.GetSubscription(firstId));
        Assert.False(await provider.SetSubscriptionToken(firstId, "token-c", "worker-c", T0.AddMinutes(3)));
        await provider.ClearSubscriptionToken(firstId, "token-b"); // gone: nothing to release
    }

    [Fact]
    public async Task Scheduled_commands_are_idempotent_run_when_due_and_deleted_once_run()
    {
        var provider = NewProvider();
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "wf1",
                ExecuteTime = T0.AddSeconds(10).Ticks,
            }
        );
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "wf1",
                ExecuteTime = T0.AddSeconds(10).Ticks,
            }
        );
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "wf1",
                ExecuteTime = T0.AddSeconds(20).Ticks,
            }
        );
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessEvent,
                Data = "wf1",
                ExecuteTime = T0.AddSeconds(5).Ticks,
            }
        );
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "wf2",
                ExecuteTime = T0.AddSeconds(30).Ticks,
            }
        );
        Assert.True(provider.SupportsScheduledCommands);
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM scheduled_command"));
        Assert.Equal(
            T0.AddSeconds(10).Ticks,
            await ScalarAsync(
                "SELECT execute_time FROM scheduled_command WHERE command_name = 'ProcessWorkflow' AND data = 'wf1'"
            )
        );

        var ran = new List<string>();
        Task Record(ScheduledCommand c)
        {
            ran.Add($"{c.CommandName}:{c.Data}@{c.ExecuteTime}");
            return Task.CompletedTask;
        }

        await provider.ProcessCommands(new DateTimeOffset(T0.AddSeconds(4)), Record);
        Assert.Empty(ran);

        await provider.ProcessCommands(new DateTimeOffset(T0.AddSeconds(10)), Record);
        Assert.Equal(
            [$"ProcessEvent:wf1@{T0.AddSeconds(5).Ticks}", $"ProcessWorkflow:wf1@{T0.AddSeconds(10).Ticks}"],
            ran
        );

        ran.Clear();
        await provider.ProcessCommands(new DateTimeOffset(T0.AddSeconds(29)), Record);
        Assert.Empty(ran); // run ones are gone
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM scheduled_command"));

        // An earlier schedule pulls a pending command forward.
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "wf2",
                ExecuteTime = T0.AddSeconds(1).Ticks,
            }
        );
        await provider.ProcessCommands(new DateTimeOffset(T0.AddSeconds(2)), Record);
        Assert.Equal([$"ProcessWorkflow:wf2@{T0.AddSeconds(1).Ticks}"], ran);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM scheduled_command"));
    }

    [Fact]
    public async Task A_failing_command_is_kept_for_the_next_poll_and_does_not_stop_the_others()
    {
        var provider = NewProvider();
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "bad",
                ExecuteTime = T0.Ticks,
            }
        );
        await provider.ScheduleCommand(
            new ScheduledCommand
            {
                CommandName = ScheduledCommand.ProcessWorkflow,
                Data = "good",
                ExecuteTime = T0.AddTicks(1).Ticks,
            }
        );

        var ran = new List<string>();
        await provider.ProcessCommands(
            new DateTimeOffset(T0.AddSeconds(1)),
            c =>
            {
                if (c.Data == "bad")
                    throw new InvalidOperationException("queue unavailable");
                ran.Add(c.Data);
                return Task.CompletedTask;
            }
        );
        Assert.Equal(["good"], ran);

        await provider.ProcessCommands(
            new DateTimeOffset(T0.AddSeconds(1)),
            c =>
            {
                ran.Add(c.Data);
                return Task.CompletedTask;
            }
        );
        Assert.Equal(["good", "bad"], ran);
    }

    [Fact]
    public async Task Two_pollers_never_run_the_same_command()
    {
        var a = NewProvider();
        var b = NewProvider();
        for (var i = 0; i < 40; i++)
            await a.ScheduleCommand(
                new ScheduledCommand
                {
                    CommandName = ScheduledCommand.ProcessWorkflow,
                    Data = $"wf{i}",
                    ExecuteTime = T0.Ticks,
                }
            );

        var ran = new System.Collections.Concurrent.ConcurrentBag<string>();
        async Task Record(ScheduledCommand c)
        {
            ran.Add(c.Data);
            await Task.Yield();
        }
        await Task.WhenAll(
            Task.Run(() => a.ProcessCommands(new DateTimeOffset(T0), Record)),
            Task.Run(() => b.ProcessCommands(new DateTimeOffset(T0), Record))
        );

        Assert.Equal(40, ran.Count);
        Assert.Equal(40, ran.Distinct().Count());
    }

    [Fact]
    public async Task Errors_are_stored_and_purge_removes_only_old_finished_workflows_with_their_rows()
    {
        var provider = NewProvider();
        async Task<string> Add(WorkflowStatus status, DateTime? completed)
        {
            var w = NewInstance();
            w.Status = status;
            w.CompleteTime = completed;
            w.ExecutionPointers.Add(
                new ExecutionPointer
                {
                    Id = Guid.NewGuid().ToString(),
                    StepId = 0,
                    Status = PointerStatus.Complete,
                }
            );
            var id = await provider.CreateNewWorkflow(w);
            await provider.PersistErrors([
                new ExecutionError
                {
                    WorkflowId = id,
                    ExecutionPointerId = "p",
                    ErrorTime = T0,
                    Message = "boom " + id,
                },
            ]);
            await provider.CreateEventSubscription(
                new EventSubscription
                {
                    WorkflowId = id,
                    EventName = "e",
                    EventKey = id,
                    SubscribeAsOf = T0,
                }
            );
            await provider.ScheduleCommand(
                new ScheduledCommand
                {
                    CommandName = ScheduledCommand.ProcessWorkflow,
                    Data = id,
                    ExecuteTime = T0.Ticks,
                }
            );
            return id;
        }

        var oldDone = await Add(WorkflowStatus.Complete, T0.AddDays(-10));
        var newDone = await Add(WorkflowStatus.Complete, T0.AddDays(-1));
        var oldTerminated = await Add(WorkflowStatus.Terminated, T0.AddDays(-10));
        var running = await Add(WorkflowStatus.Runnable, null);

        var errors = await provider.GetExecutionErrors(oldDone);
        Assert.Equal("boom " + oldDone, Assert.Single(errors).Message);
        Assert.Equal(T0, errors[0].ErrorTime);
        await provider.PersistErrors([]);

        await provider.PurgeWorkflows(WorkflowStatus.Complete, T0.AddDays(-5));

        await Assert.ThrowsAsync<NotFoundException>(() => provider.GetWorkflowInstance(oldDone));
        Assert.Empty(await provider.GetExecutionErrors(oldDone));
        Assert.Empty(await provider.GetSubscriptions("e", oldDone, T0));
        foreach (var kept in new[] { newDone, oldTerminated, running })
        {
            Assert.Equal(kept, (await provider.GetWorkflowInstance(kept)).Id);
            Assert.Single(await provider.GetExecutionErrors(kept));
        }
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM execution_pointer"));
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM scheduled_command"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            provider.PurgeWorkflows(WorkflowStatus.Runnable, T0)
        );
    }

    [Fact]
    public async Task Concurrent_calls_from_many_threads_lose_nothing()
    {
        var provider = NewProvider();
        var ids = await Task.WhenAll(
            Enumerable
                .Range(0, 16)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        var w = NewInstance(created: T0.AddSeconds(i));
                        w.ExecutionPointers.Add(
                            new ExecutionPointer
                            {
                                Id = $"{i}-0",
                                StepId = 0,
                                Status = PointerStatus.Pending,
                            }
                        );
                        var id = await provider.CreateNewWorkflow(w);
                        for (var round = 0; round < 10; round++)
                        {
                            var loaded = await provider.GetWorkflowInstance(id);
                            ((CutoverPlanData)loaded.Data).Addresses.Add($"10.0.{i}.{round}");
                            loaded.ExecutionPointers.Add(
                                new ExecutionPointer
                                {
                                    Id = $"{i}-{round + 1}",
                                    StepId = round + 1,
                                    Status = PointerStatus.Pending,
                                }
                            );
                            await provider.PersistWorkflow(loaded);
                            await provider.CreateEvent(
                                new Event
                                {
                                    EventName = "tick",
                                    EventKey = id,
                                    EventTime = T0,
                                }
                            );
                            await provider.GetRunnableInstances(T0);
                        }
                        return id;
                    })
                )
        );

        foreach (var id in ids)
        {
            var w = await provider.GetWorkflowInstance(id);
            Assert.Equal(10, ((CutoverPlanData)w.Data).Addresses.Count);
            Assert.Equal(11, w.ExecutionPointers.Count);
            Assert.Equal(10, (await provider.GetEvents("tick", id, T0)).Count());
        }
    }
}
