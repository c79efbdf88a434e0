using CutoverEngine.Engine.Cutovers.OtherFunctions;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>The whole series of the other functions' probes from pause to resume, one summary per function
/// (written when sending resumed).</summary>
public sealed record OtherFunctionsProbedPayload(
    DateTimeOffset From,
    DateTimeOffset To,
    double IntervalSeconds,
    IReadOnlyList<OtherFunctionSeries> Functions
) : IJournalPayload
{
    public const string Event = "other-functions-probed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
