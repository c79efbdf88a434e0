namespace CutoverEngine.Aws.Ec2;

/// <summary>An Elastic IP (or an address from a BYOIP pool) and what it is associated with.</summary>
public sealed record ElasticIp(
    string AllocationId,
    string PublicIp,
    string? AssociationId,
    string? InstanceId,
    string? NetworkInterfaceId,
    string? PrivateIpAddress,
    string? PublicIpv4Pool
)
{
    public bool IsAssociated => AssociationId is not null;

    /// <summary>Whether the address is associated with <paramref name="target"/> (same instance or same network
    /// interface).</summary>
    public bool IsAssociatedWith(AddressTarget target) =>
        IsAssociated
        && (target.InstanceId is null || string.Equals(InstanceId, target.InstanceId, StringComparison.Ordinal))
        && (
            target.NetworkInterfaceId is null
            || string.Equals(NetworkInterfaceId, target.NetworkInterfaceId, StringComparison.Ordinal)
        )
        && (
            target.PrivateIpAddress is null
            || string.Equals(PrivateIpAddress, target.PrivateIpAddress, StringComparison.Ordinal)
        );
}

/// <summary>The outcome of associating an address; <see cref="AlreadyInPlace"/> when it was associated there
/// already.</summary>
public sealed record AddressAssociation(
    string AllocationId,
    string AssociationId,
    AddressTarget Target,
    bool AlreadyInPlace,
    string? RequestId
);

/// <summary>The outcome of disassociating an address; <see cref="AlreadyInPlace"/> when it was not
/// associated.</summary>
public sealed record AddressDisassociation(
    string AllocationId,
    string? FormerAssociationId,
    bool AlreadyInPlace,
    string? RequestId
);

/// <summary>The outcome of setting reverse DNS; <see cref="AlreadyInPlace"/> when it already named the host.</summary>
public sealed record ReverseDnsChange(ReverseDns ReverseDns, bool AlreadyInPlace, string? RequestId);

/// <summary>BYOIP range states as EC2 names them.</summary>
public static class ByoipStates
{
    public const string Provisioned = "provisioned";
    public const string PendingAdvertising = "pending-advertising";
    public const string Advertised = "advertised";
    public const string PendingWithdrawal = "pending-withdrawal";
}

/// <summary>A BYOIP address range and whether AWS announces it.</summary>
public sealed record ByoipRange(string Cidr, string State, string? StatusMessage);

/// <summary>The outcome of advertising or withdrawing a range; <see cref="AlreadyInPlace"/> when it was already
/// so.</summary>
public sealed record ByoipRangeChange(ByoipRange Range, bool AlreadyInPlace, string? RequestId);
