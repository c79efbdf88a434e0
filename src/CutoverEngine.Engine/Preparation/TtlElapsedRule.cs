namespace CutoverEngine.Engine.Preparation;

/// <summary>
/// When a lowered TTL has done its work: resolvers that cached the record just before the change keep it for the
/// old TTL, so only once the old TTL's worth of time has passed since the lowering does every resolver hold the
/// short one. One home for the rule: readiness, the start gate and the prepare lead all use it.
/// </summary>
public static class TtlElapsedRule
{
    /// <summary>The instant from which every resolver holds the lowered TTL.</summary>
    public static DateTimeOffset EffectiveAt(DateTimeOffset loweredAt, TimeSpan originalTtl) => loweredAt + originalTtl;

    /// <summary>How long is left until <see cref="EffectiveAt"/> (zero once it has passed).</summary>
    public static TimeSpan Remaining(DateTimeOffset loweredAt, TimeSpan originalTtl, DateTimeOffset now)
    {
        var left = EffectiveAt(loweredAt, originalTtl) - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// How long before the planned start prepare runs: the configured lead, and never less than twice the largest
    /// TTL it lowers (one TTL for resolvers to forget the old one, one to spare for a retry).
    /// </summary>
    public static TimeSpan Lead(TimeSpan configured, TimeSpan largestOriginalTtl) =>
        configured >= 2 * largestOriginalTtl ? configured : 2 * largestOriginalTtl;
}
