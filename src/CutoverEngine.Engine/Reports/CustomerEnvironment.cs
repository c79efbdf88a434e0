using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Reports;

/// <summary>One environment in a customer's summary, in plain words.</summary>
public sealed record CustomerEnvironment
{
    public string Environment { get; init; } = "";

    /// <summary>When sending was paused for the move (or the cutover started, when it never paused).</summary>
    public DateTimeOffset? CutOverAt { get; init; }
    public double? DowntimeSeconds { get; init; }

    /// <summary>One sentence for the customer, e.g. "Moved successfully. Sending was paused for 31 minutes."</summary>
    public string Result { get; init; } = "";

    public static CustomerEnvironment From(EnvironmentReport e) =>
        new()
        {
            Environment = e.Environment,
            CutOverAt = e.PausedAt ?? e.StartedAt,
            DowntimeSeconds = e.EngineDowntimeSeconds,
            Result = PlainResult(e.Outcome, e.EngineDowntimeSeconds),
        };

    /// <summary>Deliberately free of causes, step names and request ids: those are internal.</summary>
    public static string PlainResult(string outcome, double? downtimeSeconds)
    {
        var pause = downtimeSeconds is { } s ? $" Sending was paused for {Duration.Plain(s)}." : "";
        return outcome switch
        {
            CutoverOutcomes.Completed => "Moved successfully." + pause,
            CutoverOutcomes.RolledBack =>
                "Not moved this time: the change was undone and sending continues from the existing setup."
                    + pause
                    + " We will reschedule.",
            CutoverOutcomes.InProgress => "The move is in progress.",
            CutoverOutcomes.NotStarted => "Not started yet.",
            _ => "The move did not complete; our team is following up with you." + pause,
        };
    }
}
