namespace CutoverEngine.Aws.Ec2;

/// <summary>An Elastic IP (or an address from a BYOIP pool) and what it is associated with.</summary>
public sealed record ElasticIp(
    string AllocationId,
    string PublicIp,
    string? AssociationId,
    string? InstanceId,
    string? NetworkInterfaceId,
    string? PrivateIpAddress,
    string? PublicIpv4Pool)
{
    public bool IsAssociated => AssociationId is not null;

    /// <summary>Whether the address is associated with <paramref name="target"/> (same instance or same network interface).</summary>
    public bool IsAssociatedWith(AddressTarget target) =>
        IsAssociated
        && (target.InstanceId is null || string.Equals(InstanceId, target.InstanceId, StringComparison.Ordinal))
        && (target.NetworkInterfaceId is null || string.Equals(NetworkInterfaceId, target.NetworkInterfaceId, StringComparison.Ordinal))
        && (target.PrivateIpAddress is null || string.Equals(PrivateIpAddress, target.PrivateIpAddress, StringComparison.Ordinal));
}

/// <summary>Where an address is to be associated: an instance (its primary interface) or a network interface.</summary>
public sealed record AddressTarget
{
    private AddressTarget(string? instanceId, string? networkInterfaceId, string? privateIpAddress)
    {
        InstanceId = instanceId;
        NetworkInterfaceId = networkInterfaceId;
        PrivateIpAddress = privateIpAddress;
    }

    public string? InstanceId { get; }
    public string? NetworkInterfaceId { get; }
    public string? PrivateIpAddress { get; }

    public static AddressTarget Instance(string instanceId) =>
        new(Required(instanceId, nameof(instanceId)), null, null);

    public static AddressTarget NetworkInterface(string networkInterfaceId, string? privateIpAddress = null) =>
        new(null, Required(networkInterfaceId, nameof(networkInterfaceId)), privateIpAddress);

    public override string ToString() =>
        InstanceId is not null ? $"instance {InstanceId}" : $"network interface {NetworkInterfaceId}{(PrivateIpAddress is null ? "" : $" ({PrivateIpAddress})")}";

    private static string Required(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }
}

/// <summary>The outcome of associating an address; <see cref="AlreadyInPlace"/> when it was associated there already.</summary>
public sealed record AddressAssociation(string AllocationId, string AssociationId, AddressTarget Target, bool AlreadyInPlace, string? RequestId);

/// <summary>The outcome of disassociating an address; <see cref="AlreadyInPlace"/> when it was not associated.</summary>
public sealed record AddressDisassociation(string AllocationId, string? FormerAssociationId, bool AlreadyInPlace, string? RequestId);

/// <summary>
/// The reverse DNS (PTR) of an Elastic IP: the live <see cref="PtrRecord"/> and, while a change is being applied,
/// the pending value and its status.
/// </summary>
public sealed record ReverseDns(string AllocationId, string PublicIp, string? PtrRecord, string? PendingValue, string? PendingStatus)
{
    /// <summary>Whether <paramref name="domainName"/> is live or already on its way in.</summary>
    public bool Names(string domainName)
    {
        var wanted = Normalize(domainName);
        return Normalize(PtrRecord) == wanted || (PendingValue is not null && Normalize(PendingValue) == wanted
            && !string.Equals(PendingStatus, "failed", StringComparison.OrdinalIgnoreCase));
    }

    private static string? Normalize(string? name) => name?.Trim().TrimEnd('.').ToLowerInvariant();
}

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

/// <summary>The outcome of advertising or withdrawing a range; <see cref="AlreadyInPlace"/> when it was already so.</summary>
public sealed record ByoipRangeChange(ByoipRange Range, bool AlreadyInPlace, string? RequestId);
