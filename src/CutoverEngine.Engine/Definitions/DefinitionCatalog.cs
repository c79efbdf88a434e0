using System.Linq.Expressions;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Definitions;

/// <summary>The loaded definitions, by id and version, and their translation into WorkflowCore definitions.</summary>
public sealed class DefinitionCatalog(IReadOnlyList<CutoverDefinition> definitions)
{
    public IReadOnlyList<CutoverDefinition> All { get; } = definitions;

    public CutoverDefinition Get(string id, int version) =>
        All.FirstOrDefault(d => d.Id == id && d.Version == version)
        ?? throw new KeyNotFoundException(
            $"no workflow definition {id} version {version} is loaded (loaded: {string.Join(", ", All.Select(d => $"{d.Id} v{d.Version}"))})"
        );

    public CutoverDefinition Latest(string id) =>
        All.Where(d => d.Id == id).MaxBy(d => d.Version)
        ?? throw new KeyNotFoundException($"no workflow definition '{id}' is loaded");

    /// <summary>
    /// Registers every definition with WorkflowCore. Steps are linked by outcome: a forward step's "next" goes to the
    /// following forward step and "rollback" to the first rollback step; rollback steps only go forward through the
    /// rollback; the last step of each path ends the workflow. Step bodies catch their own failures, so a thrown
    /// exception is a bug that WorkflowCore retries (it has no retry cap: the bodies bound their work).
    /// </summary>
    public void RegisterAll(IWorkflowRegistry registry, Func<string, Type> bodyTypeFor, Type dataType)
    {
        foreach (var d in All)
        {
            if (registry.IsRegistered(d.Id, d.Version))
                continue;
            registry.RegisterWorkflow(Translate(d, bodyTypeFor, dataType));
        }
    }

    public static WorkflowDefinition Translate(CutoverDefinition d, Func<string, Type> bodyTypeFor, Type dataType)
    {
        var definition = new WorkflowDefinition
        {
            Id = d.Id,
            Version = d.Version,
            Description = d.Description,
            DataType = dataType,
            DefaultErrorBehavior = WorkflowErrorHandling.Retry,
            DefaultErrorRetryInterval = TimeSpan.FromSeconds(5),
        };
        var all = d.Steps.Concat(d.Rollback).ToList();
        var firstRollback = d.Steps.Count;
        for (int i = 0; i < all.Count; i++)
        {
            var s = all[i];
            var step = (WorkflowStep)
                Activator.CreateInstance(typeof(WorkflowStep<>).MakeGenericType(bodyTypeFor(s.Kind)))!;
            step.Id = i;
            step.Name = s.Name;
            step.ExternalId = s.Name;
            var isLastOfPath = s.IsRollback ? i == all.Count - 1 : i == firstRollback - 1;
            if (!isLastOfPath)
                step.Outcomes.Add(Outcome("next", i + 1));
            if (!s.IsRollback)
                step.Outcomes.Add(Outcome("rollback", firstRollback));
            else if (!isLastOfPath)
                step.Outcomes.Add(Outcome("rollback", i + 1));
            definition.Steps.Add(step);
        }
        return definition;
    }

    static ValueOutcome Outcome(string value, int next)
    {
        Expression<Func<object, object>> constant = _ => value;
        return new ValueOutcome
        {
            Value = constant,
            NextStep = next,
            Label = value,
        };
    }
}
