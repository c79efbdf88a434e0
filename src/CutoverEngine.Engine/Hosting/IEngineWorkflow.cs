using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Hosting;

/// <summary>A workflow built in code (not from workflows/*.json) that the engine registers with WorkflowCore at
/// start-up.</summary>
public interface IEngineWorkflow
{
    /// <summary>Registers the workflow's definition(s); harmless when already registered.</summary>
    void Register(IWorkflowRegistry registry);
}
