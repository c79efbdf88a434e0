namespace CutoverEngine.Domain.Waves;

/// <summary>The policy refused a wave; <see cref="Violations"/> lists the offending environments.</summary>
public sealed class PolicyRefusedException(string waveId, string operation, IReadOnlyList<PolicyViolation> violations)
    : Exception(
        $"Refused to {operation} wave '{waveId}': {Count(violations)}:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", violations.Select(v => $"[{v.Rule}] {v.Message}"))
            + $"{Environment.NewLine}Notify the customers and wait, or override with a reason."
    )
{
    public string WaveId { get; } = waveId;

    public IReadOnlyList<PolicyViolation> Violations { get; } = violations;

    /// <summary>
    /// "30 environments break the policy: 30 notice, 10 staging-first": environments and violations per rule are
    /// counted apart, since one environment may break several rules and a sum of violations would overstate the
    /// environments.
    /// </summary>
    public static string Count(IReadOnlyList<PolicyViolation> violations)
    {
        var environments = violations.Select(v => v.EnvironmentId).Distinct(StringComparer.Ordinal).Count();
        var rules = violations
            .GroupBy(v => v.Rule, StringComparer.Ordinal)
            .Select(g => $"{g.Select(v => v.EnvironmentId).Distinct(StringComparer.Ordinal).Count()} {g.Key}");
        var noun = environments == 1 ? "environment breaks" : "environments break";
        return $"{environments} {noun} the policy: {string.Join(", ", rules)}";
    }
}
