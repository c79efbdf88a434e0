namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>One probe of one function: whether it answered as expected, how long it took, and if not, why.</summary>
public sealed record OtherFunctionObservation(DateTimeOffset At, bool Available, double LatencyMs, string? Error);
