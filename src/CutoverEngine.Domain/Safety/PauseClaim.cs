namespace CutoverEngine.Domain.Safety;

/// <summary>
/// One environment's claim on a pause slot, held by the cutover (or revert) that pauses it from before the pause
/// until it resumes.
/// </summary>
/// <param name="Owner">The workflow instance that holds it.</param>
/// <param name="Production">Whether the environment is of the production tier.</param>
public sealed record PauseClaim(
    string Owner,
    string Environment,
    string Customer,
    string Account,
    bool Production,
    DateTimeOffset ClaimedAt
);
