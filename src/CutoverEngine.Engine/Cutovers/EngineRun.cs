namespace CutoverEngine.Engine.Cutovers;

/// <summary>Identifies this engine process run, so a monotonic clock reading is only compared within one run.</summary>
public sealed class EngineRun
{
    public string Id { get; } = Guid.NewGuid().ToString("n");

    /// <summary>WorkflowCore's workers were started in this process (readiness: /health/ready).</summary>
    public bool WorkersStarted { get; private set; }

    internal void MarkWorkersStarted() => WorkersStarted = true;
}
