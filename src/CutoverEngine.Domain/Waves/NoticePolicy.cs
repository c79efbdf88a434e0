using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>The announced notice periods (section "Waves:Notice"). Defaults: 7 days for development and staging, 30 days for production.</summary>
public sealed class NoticePolicyOptions
{
    public const string SectionName = "Waves:Notice";

    public TimeSpan DevelopmentNotice { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan StagingNotice { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan ProductionNotice { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan For(Tier tier) => tier switch
    {
        Tier.Development => DevelopmentNotice,
        Tier.Staging => StagingNotice,
        Tier.Production => ProductionNotice,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };
}

/// <summary>One environment a policy refuses, and why (in words an engineer can act on).</summary>
public sealed record PolicyViolation(string EnvironmentId, string Rule, string Message);

/// <summary>
/// A wave may start only when each environment's customer was notified at least the tier's notice period before
/// the start. The start measured against is the later of the planned start and the actual (scheduled) start:
/// starting later than announced never shortens the notice, starting earlier does.
/// </summary>
public sealed class NoticePolicy(NoticePolicyOptions options)
{
    public const string Rule = "notice";

    public NoticePolicyOptions Options { get; } = options;

    /// <param name="environments">The wave's environments.</param>
    /// <param name="start">When the wave would start.</param>
    /// <param name="notifiedAt">When each environment's customer was notified, by environment id (absent: never).</param>
    public IReadOnlyList<PolicyViolation> Check(IEnumerable<CutoverEnvironment> environments, DateTimeOffset start,
        IReadOnlyDictionary<string, DateTimeOffset> notifiedAt)
    {
        var violations = new List<PolicyViolation>();
        foreach (var environment in environments)
        {
            var required = Options.For(environment.Tier);
            var tier = environment.Tier.ToString().ToLowerInvariant();
            if (!notifiedAt.TryGetValue(environment.Id, out var at))
            {
                violations.Add(new(environment.Id, Rule,
                    $"{environment.Id} ({tier}, {environment.Customer}): customer never notified; {Days(required)} notice required."));
                continue;
            }
            var given = start - at;
            if (given < required)
                violations.Add(new(environment.Id, Rule,
                    $"{environment.Id} ({tier}, {environment.Customer}): notified {at:u}, {Days(given)} before the start {start:u}; {Days(required)} required " +
                    $"(earliest allowed start {at + required:u})."));
        }
        return violations;
    }

    static string Days(TimeSpan span) => span.TotalDays == Math.Floor(span.TotalDays)
        ? $"{span.TotalDays:0} d" : $"{span.TotalDays:0.##} d";
}

/// <summary>
/// A production environment may be cut over only after its customer's staging environment was cut over
/// successfully; a customer without a staging environment in the inventory has nothing to prove it on, so it is
/// refused too (an override can accept that, with a reason).
/// </summary>
public static class StagingFirstRule
{
    public const string Rule = "staging-first";

    /// <param name="environments">The wave's environments.</param>
    /// <param name="inventory">The whole inventory, to find each customer's staging environments.</param>
    /// <param name="cutOverSuccessfully">Whether an environment (by id) has a successful cutover on record.</param>
    public static IReadOnlyList<PolicyViolation> Check(IEnumerable<CutoverEnvironment> environments, Inventory.Inventory inventory,
        Func<string, bool> cutOverSuccessfully)
    {
        var violations = new List<PolicyViolation>();
        foreach (var production in environments.Where(e => e.Tier == Tier.Production))
        {
            var staging = inventory.Environments
                .Where(e => e.Tier == Tier.Staging && string.Equals(e.Customer, production.Customer, StringComparison.Ordinal))
                .ToList();
            if (staging.Count == 0)
                violations.Add(new(production.Id, Rule,
                    $"{production.Id} (production, {production.Customer}): the customer has no staging environment in the inventory to cut over first."));
            else if (!staging.Any(s => cutOverSuccessfully(s.Id)))
                violations.Add(new(production.Id, Rule,
                    $"{production.Id} (production, {production.Customer}): staging {string.Join(", ", staging.Select(s => s.Id))} not cut over successfully yet."));
        }
        return violations;
    }
}

/// <summary>An engineer's decision to go ahead despite the listed violations; kept for audit.</summary>
public sealed record PolicyOverride(string Reason, string Actor, DateTimeOffset At)
{
    public static PolicyOverride Create(string? reason, string actor, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("An override of the wave policy needs a reason (--override-reason).", nameof(reason));
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return new(reason.Trim(), actor, at);
    }
}

/// <summary>The policy refused a wave; <see cref="Violations"/> lists the offending environments.</summary>
public sealed class PolicyRefusedException(string waveId, string operation, IReadOnlyList<PolicyViolation> violations)
    : Exception($"Refused to {operation} wave '{waveId}': {violations.Count} environment(s) break the policy:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", violations.Select(v => $"[{v.Rule}] {v.Message}")) +
                $"{Environment.NewLine}Notify the customers and wait, or override with a reason.")
{
    public string WaveId { get; } = waveId;

    public IReadOnlyList<PolicyViolation> Violations { get; } = violations;
}
