using System.Globalization;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>
/// How many approvals a wave needs before it may start (section "Waves:Approval"): a wave with a production
/// environment needs <see cref="Production"/> (default 2), else one with a staging environment <see cref="Staging"/>
/// (default 0); a development-only wave none.
/// </summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "Waves:Approval";

    /// <summary>Approvals a wave containing a production environment needs. Default 2.</summary>
    public int Production { get; set; } = 2;

    /// <summary>Approvals a wave containing staging (and no production) environments needs. Default 0.</summary>
    public int Staging { get; set; }
}

/// <summary>One person's approval of a wave as it stood: <paramref name="Terms"/> is <see
/// cref="ApprovalRule.Terms"/> of the wave when approved, so any later change of what was approved voids it.</summary>
/// <param name="Approver">The actor as journaled (api:KEYNAME, cli:OSUSER).</param>
/// <param name="Person">Who approved, for the distinct-people rule (<see cref="ApprovalRule.PersonOf"/>).</param>
public sealed record WaveApproval(string Approver, string Person, string Reason, DateTimeOffset At, string Terms);

/// <summary>
/// The approval rule, the one home of it: a wave needs the configured number of approvals from distinct people
/// other than its creator, each given for the wave's current environments, order, parallel and start time.
/// </summary>
public static class ApprovalRule
{
    /// <summary>What an approval is given for: environments in order, order, parallel and the start (the scheduled
    /// time, else the planned start). Approvals with other terms no longer count.</summary>
    public static string Terms(Wave wave) =>
        string.Join(',', wave.Environments)
        + $"|{WaveNames.Of(wave.Order)}|{wave.Parallel.ToString(CultureInfo.InvariantCulture)}|"
        + (wave.ScheduledFor ?? wave.PlannedStart).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// The person behind an actor: the name after the channel prefix (api:alice, cli:alice). Two channels of one name
    /// are one person, so an operator cannot approve twice by using both the CLI and the API, and a creator cannot
    /// approve their own wave through the other channel.
    /// </summary>
    public static string PersonOf(string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var colon = actor.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? actor[(colon + 1)..] : actor;
    }

    /// <summary>The approvals <paramref name="environments"/> need: by the highest tier among them.</summary>
    public static (int Count, Tier? Tier) Required(
        IEnumerable<CutoverEnvironment> environments,
        ApprovalOptions options
    )
    {
        var tiers = environments.Select(e => e.Tier).ToList();
        if (tiers.Contains(Tier.Production))
            return (options.Production, Tier.Production);
        if (tiers.Contains(Tier.Staging))
            return (options.Staging, Tier.Staging);
        return (0, null);
    }

    /// <summary>The approvals that count: current terms, not the creator's, one per person (the earliest).</summary>
    /// <param name="notBefore">Approvals given before it no longer count: the last override of a change freeze for
    /// these terms (an override needs the approvals again), or null.</param>
    public static IReadOnlyList<WaveApproval> Valid(
        Wave wave,
        string creator,
        IEnumerable<WaveApproval> approvals,
        DateTimeOffset? notBefore = null
    )
    {
        var terms = Terms(wave);
        var creatorPerson = PersonOf(creator);
        return
        [
            .. approvals
                .Where(a => a.Terms == terms && !string.Equals(a.Person, creatorPerson, StringComparison.Ordinal))
                .Where(a => notBefore is null || a.At > notBefore)
                .OrderBy(a => a.At)
                .DistinctBy(a => a.Person, StringComparer.Ordinal),
        ];
    }

    /// <summary>What stops the wave from starting for want of approvals, one line each; empty when approved.</summary>
    public static IReadOnlyList<string> Missing(
        Wave wave,
        IReadOnlyList<CutoverEnvironment> environments,
        string creator,
        IEnumerable<WaveApproval> approvals,
        ApprovalOptions options,
        DateTimeOffset? notBefore = null
    )
    {
        var (required, tier) = Required(environments, options);
        var valid = Valid(wave, creator, approvals, notBefore).Count;
        if (valid >= required)
            return [];
        var tierName = tier == Tier.Production ? "production" : "staging";
        var since = notBefore is { } at ? $" and since its change freeze was overridden at {at:u}" : "";
        return
        [
            $"{required - valid} more {tierName} approval(s): wave '{wave.Id}' needs {required} from distinct people "
                + $"other than its creator {PersonOf(creator)}, given for its current environments, order, parallel "
                + $"and time{since}; it has {valid}",
        ];
    }

    /// <summary>Refuses an approval the rule would never count: by the creator, or without a reason.</summary>
    public static void RequireApprovable(Wave wave, string creator, string approver, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException($"To approve wave '{wave.Id}' a reason is required.", nameof(reason));
        if (string.Equals(PersonOf(approver), PersonOf(creator), StringComparison.Ordinal))
            throw new WaveStateException(
                $"Cannot approve wave '{wave.Id}': {PersonOf(approver)} created it; approvals come from other people."
            );
        if (wave.State is not (WaveState.Draft or WaveState.Scheduled or WaveState.Missed))
            throw new WaveStateException(
                $"Cannot approve wave '{wave.Id}': it is {WaveNames.Of(wave.State)}; approve a draft, scheduled or missed wave."
            );
    }
}

/// <summary>A start refused because approvals are missing; the message names what is missing.</summary>
public sealed class WaveNotApprovedException(string waveId, IReadOnlyList<string> missing)
    : InvalidOperationException($"Refused to start wave '{waveId}': {string.Join("; ", missing)}.")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
