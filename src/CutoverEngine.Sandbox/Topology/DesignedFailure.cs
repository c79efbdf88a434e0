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

    /// <summary>The instance's API fails while sending is paused: the cutover completes and reports the "other
    /// function affected" incident.</summary>
    public const string OtherFunctionAffected = "other-function-affected";

    /// <summary>The new address is listed on the sandbox's zen.spamhaus.org: prepare finds the environment not
    /// ready (a cutover run without prepare still completes).</summary>
    public const string BlocklistedTarget = "blocklisted-target";

    /// <summary>The sending domain's SPF lists only the data-centre addresses: prepare pre-authorises the new ones;
    /// a cutover run without prepare fails its SPF check and rolls back.</summary>
    public const string UnpreparedSpf = "unprepared-spf";

    public static IReadOnlyList<string> All { get; } =
    [WrongGreeting, HighTtl, OtherFunctionAffected, BlocklistedTarget, UnpreparedSpf];

    /// <summary>Whether a cutover of an environment built this way must roll back; every other one completes.</summary>
    public static bool RollsBack(string? designedFailure) => designedFailure == WrongGreeting;
}
