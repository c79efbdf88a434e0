namespace CutoverEngine.Engine.Cutovers;

/// <summary>What a finished (or running) cutover reports.</summary>
public sealed record CutoverSummary(
    string EnvironmentId,
    string InstanceId,
    string Status,
    string? Outcome,
    string? CurrentStep,
    Steps.Downtime Downtime,
    string? RollbackCause,
    IReadOnlyList<string> RollbackProblems,
    IReadOnlyList<CheckRecord> LastChecks
)
{
    public bool IsFinished => Status is "Complete" or "Terminated";
}
