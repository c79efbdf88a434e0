using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Engine.Planning;

/// <summary>A record set in the environment's hosted zone, by name and type.</summary>
public sealed record RecordName(string Name, string Type);

/// <summary>
/// Which records a cutover of an environment rewrites: each MTA host's A record when its addresses move to Elastic
/// IPs; none for BYOIP, whose addresses stay (the range moves). One home for the rule: the plan lists these
/// changes, RepointDns writes them and prepare lowers their TTLs.
/// </summary>
public static class CutoverRecords
{
    public static IReadOnlyList<RecordName> ChangedBy(CutoverEnvironment environment) =>
        environment.IpStrategy == IpStrategy.Byoip
            ? []
            : [.. environment.MtaHosts.Select(h => new RecordName(h.Name, "A"))];
}
