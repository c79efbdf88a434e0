using System.Collections.Concurrent;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Definitions;

/// <summary>Workflow data for the test runs: which step, if any, should ask for rollback.</summary>
public sealed class TranslationRunData
{
    public string RunId { get; set; } = "";

    /// <summary>Steps that answer "rollback"; all others answer "next".</summary>
    public List<string> RollbackAt { get; set; } = [];
}

/// <summary>Step names visited, per run, in order.</summary>
public sealed class VisitLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _visits = new();

    public void Record(string runId, string step) => _visits.GetOrAdd(runId, _ => new()).Enqueue(step);

    public IReadOnlyList<string> For(string runId) => _visits.TryGetValue(runId, out var q) ? q.ToList() : [];
}

/// <summary>Stands in for every kind: records the visit, then returns "rollback" at the chosen step, else
/// "next".</summary>
public sealed class RecordingStep(VisitLog log) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (TranslationRunData)context.Workflow.Data;
        log.Record(data.RunId, context.Step.Name);
        return ExecutionResult.Outcome(
            data.RollbackAt.Contains(context.Step.Name)
                ? CutoverEngine.Engine.Cutovers.StepOutcomes.Rollback
                : CutoverEngine.Engine.Cutovers.StepOutcomes.Next
        );
    }
}

public sealed class WorkflowCoreTranslationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly CutoverDefinition _definition = DefinitionLoader.Parse(
        File.ReadAllBytes(ShippedPath),
        ShippedPath
    );

    static string ShippedPath { get; } = FindShipped();

    static string FindShipped()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
                return Path.Combine(dir.FullName, "workflows", "cutover.v1.json");
        throw new InvalidOperationException("repository root not found");
    }

    private readonly VisitLog _log = new();
    private ServiceProvider _services = null!;
    private IWorkflowHost _host = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_log);
        services.AddTransient<RecordingStep>();
        services.AddWorkflow(o =>
        {
            o.UsePollInterval(TimeSpan.FromMilliseconds(100));
            o.UseIdleTime(TimeSpan.FromMilliseconds(10));
        });
        _services = services.BuildServiceProvider();
        _host = _services.GetRequiredService<IWorkflowHost>();
        new DefinitionCatalog([_definition]).RegisterAll(
            _services.GetRequiredService<IWorkflowRegistry>(),
            _ => typeof(RecordingStep),
            typeof(TranslationRunData)
        );
        _host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _host.Stop();
        await _services.DisposeAsync();
    }

    private async Task<IReadOnlyList<string>> RunToCompletion(params string[] rollbackAt)
    {
        var data = new TranslationRunData { RunId = Guid.NewGuid().ToString("N"), RollbackAt = [.. rollbackAt] };
        var id = await _host.StartWorkflow(_definition.Id, _definition.Version, data);
        var store = _services.GetRequiredService<IPersistenceProvider>();
        await Eventually.UntilAsync(
            () => store.GetWorkflowInstance(id),
            i => i.Status == WorkflowStatus.Complete,
            Deadline,
            "the run to complete",
            i => $"status {i.Status}, visited {string.Join(", ", _log.For(data.RunId))}"
        );
        return _log.For(data.RunId);
    }

    [Fact]
    public async Task Happy_run_visits_every_forward_step_in_order_and_completes()
    {
        var visited = await RunToCompletion();

        Assert.Equal(_definition.Steps.Select(s => s.Name), visited);
    }

    [Theory]
    [InlineData("preflight")]
    [InlineData("repoint-dns")]
    [InlineData("verify")]
    [InlineData("resume-sending")]
    public async Task Rollback_outcome_leaves_the_forward_path_and_runs_exactly_the_rollback_steps(string failingStep)
    {
        var visited = await RunToCompletion(failingStep);

        var forward = _definition.Steps.TakeWhile(s => s.Name != failingStep).Select(s => s.Name).Append(failingStep);
        Assert.Equal(forward.Concat(_definition.Rollback.Select(s => s.Name)), visited);
    }

    [Fact]
    public async Task Rollback_step_asking_for_rollback_still_goes_on_to_the_next_rollback_step()
    {
        var visited = await RunToCompletion("verify", "restore-dns", "restore-ips");

        var forward = _definition.Steps.TakeWhile(s => s.Name != "verify").Select(s => s.Name).Append("verify");
        Assert.Equal(forward.Concat(_definition.Rollback.Select(s => s.Name)), visited);
    }

    [Fact]
    public void Registering_again_is_harmless()
    {
        var registry = _services.GetRequiredService<IWorkflowRegistry>();

        new DefinitionCatalog([_definition]).RegisterAll(
            registry,
            _ => typeof(RecordingStep),
            typeof(TranslationRunData)
        );

        Assert.True(registry.IsRegistered("cutover", 1));
    }
}
