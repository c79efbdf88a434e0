namespace CutoverEngine.Aws.Ec2;

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
        InstanceId is not null
            ? $"instance {InstanceId}"
            : $"network interface {NetworkInterfaceId}{(PrivateIpAddress is null ? "" : $" ({PrivateIpAddress})")}";

    private static string Required(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }
}
