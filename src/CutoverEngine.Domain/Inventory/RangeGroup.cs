using System.Net;

namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// Environments whose BYOIP ranges overlap (the same range, or one inside another), declared in the inventory with
/// one `rangeGroup` name. Advertising a range from AWS moves every address in it at the same instant, so these
/// environments are paused, moved, verified and resumed together by one cutover.
/// </summary>
/// <param name="Name">The shared `rangeGroup` value.</param>
/// <param name="Range">The widest range of the group, which holds every other: the one that is advertised.</param>
/// <param name="Environments">In file order; the first is the <see cref="Lead"/>.</param>
public sealed record RangeGroup(string Name, IPNetwork Range, IReadOnlyList<CutoverEnvironment> Environments)
{
    /// <summary>AWS advertises no IPv4 BYOIP prefix more specific than this (AdvertiseByoipCidr refuses it).</summary>
    public const int MaxIpv4PrefixLength = 24;

    /// <summary>The environment whose own range is the group's range (the first such in file order): the cutover
    /// runs under its name.</summary>
    public CutoverEnvironment Lead => Environments.First(e => e.ByoipCidr == Range);

    /// <summary>The environment ids, in file order.</summary>
    public IReadOnlyList<string> EnvironmentIds => [.. Environments.Select(e => e.Id)];

    /// <summary>True when either range holds the other (two CIDR blocks either nest or are disjoint).</summary>
    public static bool Overlap(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
}
