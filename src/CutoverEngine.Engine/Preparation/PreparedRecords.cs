namespace CutoverEngine.Engine.Preparation;

/// <summary>A record whose TTL prepare lowered (or found low already): its original TTL, kept for finalise, and
/// when the lowered TTL was written (null until the change went through).</summary>
public sealed record RememberedTtl(
    string EnvironmentId,
    string Name,
    string Type,
    long OriginalTtl,
    long LoweredTo,
    DateTimeOffset? LoweredAt
);

/// <summary>An SPF mechanism prepare added to a sending domain's record, with the record as it was before any
/// addition (what finalise restores, minus the old addresses).</summary>
public sealed record AddedSpfMechanism(
    string EnvironmentId,
    string Domain,
    string Mechanism,
    string OriginalRecord,
    DateTimeOffset AddedAt
);

/// <summary>One reason an environment is not ready, with the code the start gate and the tests match.</summary>
public sealed record ReadinessReason(string Code, string Message);

/// <summary>The last readiness verdict of an environment.</summary>
public sealed record EnvironmentReadiness(
    string EnvironmentId,
    string WaveId,
    bool Ready,
    IReadOnlyList<ReadinessReason> Reasons,
    IReadOnlyList<string> Warnings,
    DateTimeOffset CheckedAt
);
