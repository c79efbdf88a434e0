using System.Diagnostics;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;
using Polly.Timeout;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>One step's view of its cutover.</summary>
public sealed record CutoverContext(
    string InstanceId,
    CutoverData Data,
    CutoverDefinition Definition,
    StepDefinition Step
)
{
    public CutoverSubject Subject => Data.Subject;

    /// <summary>The inventory's override, else the definition's budget.</summary>
    public TimeSpan WindowBudget => Domain.Waves.WindowBudget.For(Subject.WindowBudgetMinutes, Definition.WindowBudget);

    public TimeSpan PollInterval => Step.PollInterval ?? TimeSpan.FromSeconds(1);

    /// <summary>A journal event filed under this cutover and step: wave, environment, instance, definition and
    /// actor.</summary>
    public JournalEvent Event<TPayload>(TPayload payload)
        where TPayload : IJournalPayload =>
        JournalEvent.Of(payload, Data.StartedBy) with
        {
            Wave = Data.WaveId,
            Environment = Subject.EnvironmentId,
            WorkflowInstance = InstanceId,
            DefinitionId = Data.DefinitionId,
            DefinitionVersion = Data.DefinitionVersion,
            DefinitionHash = Data.DefinitionHash,
            Step = Step.Name,
        };
}
