using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

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
    /// <param name="notifiedAt">When each environment's customer was notified, by environment id (absent:
    /// never).</param>
    public IReadOnlyList<PolicyViolation> Check(
        IEnumerable<CutoverEnvironment> environments,
        DateTimeOffset start,
        IReadOnlyDictionary<string, DateTimeOffset> notifiedAt
    )
    {
        var violations = new List<PolicyViolation>();
        foreach (var environment in environments)
        {
            var required = Options.For(environment.Tier);
            var tier = environment.Tier.ToString().ToLowerInvariant();
            if (!notifiedAt.TryGetValue(environment.Id, out var at))
            {
                violations.Add(
                    new(
                        environment.Id,
                        Rule,
                        $"{environment.Id} ({tier}, {environment.Customer}): customer never notified; {Days(required)} notice required."
                    )
                );
                continue;
            }
            var given = start - at;
            if (given < required)
                violations.Add(
                    new(
                        environment.Id,
                        Rule,
                        $"{environment.Id} ({tier}, {environment.Customer}): notified {at:u}, {Days(given)} before the start {start:u}; {Days(required)} required "
                            + $"(earliest allowed start {at + required:u})."
                    )
                );
        }
        return violations;
    }

    static string Days(TimeSpan span) =>
        span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0} d" : $"{span.TotalDays:0.##} d";
}
