using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.World;

/// <summary>An IAM role of one account, as the topology declares it.</summary>
public sealed class RoleState(AccountState account, TopologyRole role)
{
    public AccountState Account { get; } = account;
    public string Name { get; } = role.Name;
    public string Arn { get; } = $"arn:aws:iam::{account.Id}:role/{role.Name}";
    public string? ExternalId { get; } = role.ExternalId;
    public IReadOnlySet<string> TrustedAccessKeys { get; } = role.TrustedAccessKeys.ToHashSet(StringComparer.Ordinal);
    public IReadOnlyList<string>? AllowedActions { get; } =
        role.AllowedActions is null ? null : [.. role.AllowedActions];

    /// <summary>AWS's unique id of the role (AROA...), stable for the run.</summary>
    public string RoleId { get; } = "AROA" + SessionCredentials.Stable(account.Id + "/" + role.Name, 17);
}
