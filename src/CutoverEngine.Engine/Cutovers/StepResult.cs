namespace CutoverEngine.Engine.Cutovers;

/// <summary>What a cutover step reports: done, not yet (wait durably and run again), or failed.</summary>
public abstract record StepResult
{
    public static StepResult Done(string summary, object? output = null) => new Completed(summary, output);

    /// <summary>Run the step again after <paramref name="delay"/>; the wait is stored, so it survives a
    /// restart.</summary>
    public static StepResult WaitFor(TimeSpan delay, string reason) => new Waiting(delay, reason);

    public static StepResult Fail(string cause, object? output = null) => new Failed(cause, output);

    public sealed record Completed(string Summary, object? Output) : StepResult;

    public sealed record Waiting(TimeSpan Delay, string Reason) : StepResult;

    public sealed record Failed(string Cause, object? Output) : StepResult;
}

/// <summary>The outcome values the workflow definition's transitions match on.</summary>
public static class StepOutcomes
{
    public const string Next = "next";
    public const string Rollback = "rollback";
}
