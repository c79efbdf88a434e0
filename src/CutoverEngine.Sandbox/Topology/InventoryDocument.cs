namespace CutoverEngine.Sandbox.Topology;

/// <summary>
/// The shape of an inventory file (docs/inventory-format.md) as the sandbox writes it. Only YamlDotNet's
/// serializer turns it into text, so customer names and other free text are quoted wherever YAML needs it.
/// Properties are in the order the format documents them; null ones are left out.
/// </summary>
internal sealed class InventoryDocument
{
    public int Version { get; init; } = 1;
    public List<InventoryAccountEntry> Accounts { get; init; } = [];
    public List<InventoryCustomerEntry> Customers { get; init; } = [];
    public List<InventoryEnvironmentEntry> Environments { get; init; } = [];
}

internal sealed class InventoryAccountEntry
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
}

internal sealed class InventoryCustomerEntry
{
    public required string Name { get; init; }
    public List<string> Contacts { get; init; } = [];
}

internal sealed class InventoryEnvironmentEntry
{
    public required string Id { get; init; }
    public required string Customer { get; init; }
    public required string Tier { get; init; }
    public required string Offering { get; init; }
    public required string Account { get; init; }
    public required InventoryHostedZoneEntry HostedZone { get; init; }
    public required string SendingDomain { get; init; }
    public required string SendingControl { get; init; }
    public required string IpStrategy { get; init; }
    public string? ByoipCidr { get; init; }
    public string? RangeGroup { get; init; }
    public List<InventoryMtaHostEntry> MtaHosts { get; init; } = [];
    public required InventoryTestMessageEntry TestMessage { get; init; }
    public List<InventoryOtherFunctionEntry>? OtherFunctions { get; init; }
}

internal sealed class InventoryOtherFunctionEntry
{
    public required string Name { get; init; }
    public required string Url { get; init; }
}

internal sealed class InventoryHostedZoneEntry
{
    public required string Id { get; init; }
    public required string Name { get; init; }
}

internal sealed class InventoryMtaHostEntry
{
    public required string Name { get; init; }
    public required string CurrentAddress { get; init; }
    public required InventoryTargetEntry Target { get; init; }
}

internal sealed class InventoryTargetEntry
{
    public required string InstanceId { get; init; }
    public string? AllocationId { get; init; }
    public required string Address { get; init; }
    public required string EhloName { get; init; }
}

internal sealed class InventoryTestMessageEntry
{
    public required string From { get; init; }
    public required string To { get; init; }
}
