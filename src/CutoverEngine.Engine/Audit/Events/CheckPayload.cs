namespace CutoverEngine.Engine.Audit.Events;

/// <summary>One check's result within a <see cref="ChecksPayload"/>.</summary>
public sealed record CheckPayload(
    string Check,
    string Subject,
    bool Passed,
    string Expected,
    string Observed,
    string Detail
);
