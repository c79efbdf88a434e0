namespace CutoverEngine.Sandbox.Topology;

/// <summary>
/// The failure paths a rehearsal environment can be built to show, named by the topology field
/// <c>designedFailure</c>. The demo reads its expected outcomes from this field, never from the note's prose.
/// </summary>
public static class DesignedFailure
{
    /// <summary>The new MTA greets with its EC2-internal name: verification fails and the cutover rolls back.</summary>
    public const string WrongGreeting = "wrong-greeting";

    /// <summary>The MTA records still carry a one-hour TTL: the plan warns, the cutover completes.</summary>
    public const string HighTtl = "high-ttl";

    public static IReadOnlyList<string> All { get; } = [WrongGreeting, HighTtl];

    /// <summary>Whether a cutover of an environment built this way must roll back; every other one completes.</summary>
    public static bool RollsBack(string? designedFailure) => designedFailure == WrongGreeting;
}
