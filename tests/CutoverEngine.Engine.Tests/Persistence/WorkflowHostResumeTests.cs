using System.Collections.Concurrent;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Persistence;

/// <summary>Counts side effects across hosts: the same instance is registered in every host of a test.</summary>
public sealed class SideEffects
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public void Record(string name) => _counts.AddOrUpdate(name, 1, (_, n) => n + 1);

    public int Count(string name) => _counts.GetValueOrDefault(name);
}

public sealed class ResumeData
{
    public string Customer { get; set; } = "";
    public string? Approval { get; set; }
    public int PausedBy { get; set; }
    public string? ResumedWith { get; set; }
}

public sealed class PauseSendingStep(SideEffects effects) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        effects.Record("pause");
        ((ResumeData)context.Workflow.Data).PausedBy = 1;
        return ExecutionResult.Next();
    }
}

public sealed class ResumeSendingStep(SideEffects effects) : StepBody
{
    public string? Approval { get; set; }

    public override ExecutionResult Run(IStepExecutionContext context)
    {
        effects.Record("resume");
        ((ResumeData)context.Workflow.Data).ResumedWith = Approval;
        return ExecutionResult.Next();
    }
}

/// <summary>Pause, wait for an operator's approval event, resume.</summary>
public sealed class ApprovalWorkflow : IWorkflow<ResumeData>
{
    public string Id => "test-approval-cutover";
    public int Version => 1;

    public void Build(IWorkflowBuilder<ResumeData> builder) =>
        builder
            .StartWith<PauseSendingStep>()
            .WaitFor("approval", data => data.Customer)
            .Output(data => data.Approval, step => step.EventData)
            .Then<ResumeSendingStep>()
            .Input(step => step.Approval, data => data.Approval);
}

/// <summary>Pause, wait a fixed time (a durable timer), resume.</summary>
public sealed class DelayWorkflow : IWorkflow<ResumeData>
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1.5);

    public string Id => "test-delay-cutover";
    public int Version => 1;

    public void Build(IWorkflowBuilder<ResumeData> builder) =>
        builder
            .StartWith<PauseSendingStep>()
            .Delay(_ => Wait)
            .Then<ResumeSendingStep>()
            .Input(step => step.Approval, _ => "timer");
}

public sealed class WorkflowHostResumeTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _db = new();
    private readonly SideEffects _effects = new();
    private readonly CollectingLoggerProvider _logs = new();

    public void Dispose() => _db.Dispose();

    private sealed class Host(ServiceProvider services) : IDisposable
    {
        public IWorkflowHost Workflows { get; } = services.GetRequiredService<IWorkflowHost>();
        public IPersistenceProvider Store { get; } = services.GetRequiredService<IPersistenceProvider>();

        public void Dispose()
        {
            Workflows.Stop();
            services.Dispose();
        }
    }

    private Host StartHost()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs));
        services.AddSingleton(_effects);
        services.AddTransient<PauseSendingStep>();
        services.AddTransient<ResumeSendingStep>();
        services.AddWorkflow(options =>
        {
            options.UseSqlite(_db.Path);
            options.UsePollInterval(TimeSpan.FromMilliseconds(200));
            options.UseIdleTime(TimeSpan.FromMilliseconds(20));
        });
        var host = new Host(services.BuildServiceProvider());
        host.Workflows.RegisterWorkflow<ApprovalWorkflow, ResumeData>();
        host.Workflows.RegisterWorkflow<DelayWorkflow, ResumeData>();
        host.Workflows.Start();
        return host;
    }

    private static Task<WorkflowInstance> WaitFor(
        IPersistenceProvider store,
        string id,
        Func<WorkflowInstance, bool> done,
        string what
    ) => Eventually.UntilAsync(() => store.GetWorkflowInstance(id), done, Deadline, what, i => $"status {i.Status}");

    [Fact]
    public void UseSqlite_makes_one_shared_provider_the_store_and_purger()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow(o => o.UseSqlite(_db.Path));
        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IPersistenceProvider>();
        Assert.IsType<SqlitePersistenceProvider>(store);
        // WorkflowCore registers persistence as transient; every resolution must still be the one instance.
        Assert.Same(store, provider.GetRequiredService<IPersistenceProvider>());
        Assert.Same(store, provider.GetRequiredService<IWorkflowRepository>());
        Assert.Same(store, provider.GetRequiredService<IEventRepository>());
        Assert.Same(store, provider.GetRequiredService<ISubscriptionRepository>());
        Assert.Same(store, provider.GetRequiredService<IWorkflowPurger>());
        Assert.Equal(_db.Path, ((SqlitePersistenceProvider)store).DatabasePath);
    }

    [Fact]
    public async Task A_new_host_resumes_a_workflow_waiting_for_an_event_and_each_step_runs_once()
    {
        string id;
        using (var first = StartHost())
        {
            id = await first.Workflows.StartWorkflow("test-approval-cutover", 1, new ResumeData { Customer = "acme" });
            await Eventually.UntilAsync(
                () => first.Store.GetSubscriptions("approval", "acme", DateTime.UtcNow),
                subs => subs.Any(s => s.WorkflowId == id),
                Deadline,
                "subscription to the approval event"
            );
            Assert.Equal(1, _effects.Count("pause"));
            Assert.Equal(0, _effects.Count("resume"));
        } // stopped and disposed mid-way

        // The first host is stopped mid-flight on purpose; only what the resuming host logs must be clean.
        var loggedBeforeRestart = _logs.Problems.Count;
        using (var second = StartHost())
        {
            var waiting = await second.Store.GetWorkflowInstance(id);
            Assert.Equal(WorkflowStatus.Runnable, waiting.Status);
            Assert.Equal(1, ((ResumeData)waiting.Data).PausedBy);

            await second.Workflows.PublishEvent("approval", "acme", "approved-by-ops");
            var done = await WaitFor(
                second.Store,
                id,
                w => w.Status == WorkflowStatus.Complete,
                "completion after the approval"
            );

            var data = Assert.IsType<ResumeData>(done.Data);
            Assert.Equal("approved-by-ops", data.Approval);
            Assert.Equal("approved-by-ops", data.ResumedWith);
            Assert.NotNull(done.CompleteTime);
            Assert.Empty(await second.Store.GetSubscriptions("approval", "acme", DateTime.UtcNow));
        }

        Assert.Equal(1, _effects.Count("pause"));
        Assert.Equal(1, _effects.Count("resume"));
        Assert.DoesNotContain(
            _logs.Problems.Skip(loggedBeforeRestart),
            p => p.StartsWith("Error", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task A_new_host_resumes_a_workflow_sleeping_in_a_delay_and_each_step_runs_once()
    {
        string id;
        DateTime startedUtc;
        using (var first = StartHost())
        {
            startedUtc = DateTime.UtcNow;
            id = await first.Workflows.StartWorkflow("test-delay-cutover", 1, new ResumeData { Customer = "globex" });
            var sleeping = await WaitFor(
                first.Store,
                id,
                w => w.ExecutionPointers.Any(p => p.Status == PointerStatus.Sleeping),
                "the delay step going to sleep"
            );
            Assert.True(sleeping.NextExecution > DateTime.UtcNow.Ticks, "the wake-up time is in the future");
            Assert.Equal(1, _effects.Count("pause"));
        }

        Assert.Equal(0, _effects.Count("resume"));

        // The first host is stopped mid-flight on purpose; only what the resuming host logs must be clean.
        var loggedBeforeRestart = _logs.Problems.Count;
        using (var second = StartHost())
        {
            var done = await WaitFor(
                second.Store,
                id,
                w => w.Status == WorkflowStatus.Complete,
                "completion after the delay"
            );
            Assert.Equal("timer", ((ResumeData)done.Data).ResumedWith);
            Assert.True(
                done.CompleteTime!.Value - startedUtc >= DelayWorkflow.Wait,
                "the delay was honoured across the restart"
            );
        }

        Assert.Equal(1, _effects.Count("pause"));
        Assert.Equal(1, _effects.Count("resume"));
        Assert.DoesNotContain(
            _logs.Problems.Skip(loggedBeforeRestart),
            p => p.StartsWith("Error", StringComparison.Ordinal)
        );
    }
}
