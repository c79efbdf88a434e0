using System.Net;
using System.Xml.Linq;
using CutoverEngine.Sandbox.World;
using static CutoverEngine.Sandbox.Ec2.Ec2Xml;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// Elastic IP calls: DescribeAddresses, AllocateAddress, AssociateAddress, DisassociateAddress, ReleaseAddress.
/// Every method runs under the world's gate (see <see cref="Ec2Service"/>).
/// </summary>
public static class AddressOperations
{
    /// <summary>Where AllocateAddress takes addresses from when no BYOIP pool is named: AWS's own pool, played on
    /// loopback.</summary>
    public static readonly IpRange SandboxAmazonPool = new(
        IpRange.ToUInt(IPAddress.Parse("127.200.0.1")),
        IpRange.ToUInt(IPAddress.Parse("127.200.255.254"))
    );

    /// <summary>DescribeAddresses filters (the ones AWS documents); each gives the values an address has for
    /// it.</summary>
    static readonly Dictionary<string, Func<AccountState, ElasticIpState, IEnumerable<string?>>> AddressFilters = new(
        StringComparer.Ordinal
    )
    {
        ["allocation-id"] = (_, e) => [e.AllocationId],
        ["association-id"] = (_, e) => [e.AssociationId],
        ["domain"] = (_, _) => ["vpc"],
        ["instance-id"] = (_, e) => [e.InstanceId],
        ["network-border-group"] = (a, _) => [a.Region],
        ["network-interface-id"] = (_, e) =>
            [e.InstanceId is null ? null : Ec2Identities.NetworkInterfaceOf(e.InstanceId)],
        ["network-interface-owner-id"] = (a, e) => [e.InstanceId is null ? null : a.Id],
        ["private-ip-address"] = (a, e) => [Ec2Identities.PrivateIpOf(a, e)],
        ["public-ip"] = (_, e) => [e.PublicIp.ToString()],
        ["public-ipv4-pool"] = (a, e) => [Ec2Identities.PoolOf(a, e)],
        // The sandbox's addresses carry no tags, so tag filters match nothing, as they would on untagged addresses.
        ["tag-key"] = (_, _) => [],
    };

    public static IEnumerable<XElement?> Describe(Ec2Context c)
    {
        var r = c.Request;
        var allocationIds = r.List("AllocationId");
        var publicIps = r.List("PublicIp");
        var filters = r.Filters();
        foreach (var f in filters)
            if (!AddressFilters.ContainsKey(f.Name) && !f.Name.StartsWith("tag:", StringComparison.Ordinal))
                throw Ec2Error.InvalidParameterValue(
                    $"The filter '{f.Name}' is invalid for DescribeAddresses; valid filters: {string.Join(", ", AddressFilters.Keys)}, tag:<key>"
                );
        foreach (var id in allocationIds)
            if (!c.Account.ElasticIps.ContainsKey(id))
                throw Ec2Error.AllocationNotFound(id);
        foreach (var ip in publicIps)
            if (FindByPublicIp(c.Account, ip) is null)
                throw Ec2Error.AddressNotFound(ip);
        r.ThrowIfDryRun();

        var selected = c
            .Account.ElasticIps.Values.Where(e => allocationIds.Count == 0 || allocationIds.Contains(e.AllocationId))
            .Where(e => publicIps.Count == 0 || publicIps.Contains(e.PublicIp.ToString()))
            .Where(e =>
                filters.All(f =>
                    f.MatchesAny(AddressFilters.TryGetValue(f.Name, out var values) ? values(c.Account, e) : [])
                )
            )
            .OrderBy(e => IpRange.ToUInt(e.PublicIp));
        return [Set("addressesSet", selected.Select(e => AddressItem(c.Account, e)))];
    }

    public static IEnumerable<XElement?> Allocate(Ec2Context c)
    {
        var r = c.Request;
        var domain = r.Optional("Domain") ?? "vpc";
        if (domain != "vpc")
            throw Ec2Error.InvalidParameterValue(
                $"Domain '{domain}' is not supported: EC2-Classic is retired, allocate with Domain=vpc."
            );
        if (r.Optional("CustomerOwnedIpv4Pool") is { } coip)
            throw Ec2Error.InvalidParameterValue(
                $"CustomerOwnedIpv4Pool '{coip}': the sandbox has no Outposts customer-owned pools."
            );
        var pool = r.Optional("PublicIpv4Pool");
        var requested = r.Optional("Address");
        IPAddress? address = null;
        if (requested is not null && !Ec2Identities.IsIpv4(requested, out address))
            throw Ec2Error.InvalidParameterValue($"Address '{requested}' is not an IPv4 address.");

        ByoipRangeState? range = null;
        if (pool is not null && pool != Ec2Identities.AmazonPool)
            range =
                Ec2Identities.RangeOfPool(c.Account, pool)
                ?? throw new Ec2Error(
                    400,
                    "InvalidPublicIpv4PoolID.NotFound",
                    $"The public IPv4 pool '{pool}' does not exist in account {c.Account.Id}; its BYOIP pools are: {PoolList(c.Account)}"
                );
        else if (address is not null && pool is null)
            range = c.Account.ByoipRanges.Values.FirstOrDefault(b => b.Range.Contains(address));

        if (address is not null)
        {
            var from = range?.Range ?? SandboxAmazonPool;
            if (!from.Contains(address))
                throw Ec2Error.InvalidParameterValue(
                    range is null
                        ? $"Address {address} is neither in one of account {c.Account.Id}'s BYOIP ranges nor in the sandbox's Amazon pool {IpRange.FromUInt(SandboxAmazonPool.First)}-{IpRange.FromUInt(SandboxAmazonPool.Last)}."
                        : $"Address {address} is not inside pool {pool} ({range.Cidr})."
                );
            if (AllocatedAnywhere(c.World, address) is { } holder)
                throw Ec2Error.InvalidParameterValue(
                    $"Address {address} is already allocated ({holder.AllocationId} in account {holder.AccountId})."
                );
            if (range is null && UsedOutsideEc2(c.World, address))
                throw Ec2Error.InvalidParameterValue(
                    $"Address {address} is in use by a sandbox host or BYOIP range and cannot come from the Amazon pool."
                );
        }
        else
        {
            address = range is null ? NextFreeAmazonAddress(c.World) : NextFreeInRange(c.World, range.Range);
            if (address is null)
                throw new Ec2Error(
                    400,
                    range is null ? "AddressLimitExceeded" : "InsufficientAddressCapacity",
                    range is null
                        ? "The sandbox's Amazon pool has no free address left."
                        : $"Pool {pool} ({range.Cidr}) has no free address left."
                );
        }
        r.ThrowIfDryRun();

        var eip = new ElasticIpState
        {
            AllocationId = c.World.NewId("eipalloc-"),
            PublicIp = address,
            AccountId = c.Account.Id,
            // Null means AWS's own pool: the world gives such addresses AWS's default reverse DNS.
            PublicIpv4Pool = range is null ? null : pool ?? Ec2Identities.PoolIdOf(range.Range),
        };
        c.Account.ElasticIps[eip.AllocationId] = eip;
        return
        [
            Leaf("publicIp", eip.PublicIp.ToString()),
            Leaf("allocationId", eip.AllocationId),
            Leaf("publicIpv4Pool", Ec2Identities.PoolOf(c.Account, eip)),
            Leaf("networkBorderGroup", c.Account.Region),
            Leaf("domain", "vpc"),
        ];
    }

    public static IEnumerable<XElement?> Associate(Ec2Context c)
    {
        var r = c.Request;
        var eip = ElasticIpOf(c, r.Optional("AllocationId"), r.Optional("PublicIp"));
        var instanceId = r.Optional("InstanceId");
        var networkInterfaceId = r.Optional("NetworkInterfaceId");
        if (instanceId is null && networkInterfaceId is null)
            throw new Ec2Error(400, "MissingParameter", "Either InstanceId or NetworkInterfaceId must be specified.");
        if (networkInterfaceId is not null)
        {
            var owner =
                Ec2Identities.InstanceOfNetworkInterface(c.Account, networkInterfaceId)
                ?? throw new Ec2Error(
                    400,
                    "InvalidNetworkInterfaceID.NotFound",
                    $"The networkInterface ID '{networkInterfaceId}' does not exist"
                );
            if (instanceId is not null && instanceId != owner)
                throw new Ec2Error(
                    400,
                    "InvalidParameterCombination",
                    $"Network interface {networkInterfaceId} is attached to {owner}, not to {instanceId}."
                );
            instanceId = owner;
        }
        if (!c.Account.Instances.ContainsKey(instanceId!))
            throw Ec2Error.InstanceNotFound(instanceId!);
        // Sandbox instances have one interface with one private address (one sending IP, one HELO name per host).
        if (r.Optional("PrivateIpAddress") is { } privateIp && privateIp != Ec2Identities.PrivateIpOf(instanceId!))
            throw Ec2Error.InvalidParameterValue(
                $"Private address {privateIp} is not assigned to {Ec2Identities.NetworkInterfaceOf(instanceId!)} of {instanceId}; its only private address is {Ec2Identities.PrivateIpOf(instanceId!)}."
            );
        var allowReassociation = r.Flag("AllowReassociation");

        if (eip.InstanceId == instanceId && eip.AssociationId is not null)
        {
            // Already where the caller wants it: AWS treats AssociateAddress as idempotent and keeps the association.
            r.ThrowIfDryRun();
            return [Leaf("associationId", eip.AssociationId)];
        }
        if (eip.InstanceId is not null && !allowReassociation)
            throw new Ec2Error(
                400,
                "Resource.AlreadyAssociated",
                $"resource {eip.AllocationId} is already associated with associate-id {eip.AssociationId} (instance {eip.InstanceId}); pass AllowReassociation=true to move it"
            );
        r.ThrowIfDryRun();

        if (eip.AssociationId is not null)
            EndAssociation(c, eip);
        // As in AWS: an instance's private address carries one Elastic IP, so an address already there is
        // disassociated (it stays allocated) and the new one takes its place.
        foreach (var displaced in Ec2Identities.AssociatedTo(c.Account, instanceId!))
            EndAssociation(c, displaced);
        eip.InstanceId = instanceId;
        eip.AssociationId = c.World.NewId("eipassoc-");
        return [Leaf("associationId", eip.AssociationId)];
    }

    public static IEnumerable<XElement?> Disassociate(Ec2Context c)
    {
        var r = c.Request;
        var associationId = r.Optional("AssociationId");
        var publicIp = r.Optional("PublicIp");
        ElasticIpState? eip;
        if (associationId is not null)
        {
            eip = c.Account.ElasticIps.Values.FirstOrDefault(e => e.AssociationId == associationId);
            if (eip is null)
            {
                // Disassociating an association that already ended is a no-op (EC2 documents the call as idempotent);
                // an id that never existed is an error.
                if (c.Memory.EndedAssociations.Contains((c.Account.Id, associationId)))
                {
                    r.ThrowIfDryRun();
                    return [Leaf("return", true)];
                }
                throw Ec2Error.AssociationNotFound(associationId);
            }
        }
        else if (publicIp is not null)
            eip = FindByPublicIp(c.Account, publicIp) ?? throw Ec2Error.AddressNotFound(publicIp);
        else
            throw Ec2Error.MissingParameter("AssociationId");
        r.ThrowIfDryRun();
        if (eip.AssociationId is not null)
            EndAssociation(c, eip);
        return [Leaf("return", true)];
    }

    public static IEnumerable<XElement?> Release(Ec2Context c)
    {
        var r = c.Request;
        var eip = ElasticIpOf(c, r.Optional("AllocationId"), r.Optional("PublicIp"));
        if (eip.InstanceId is not null)
            throw new Ec2Error(
                400,
                "InvalidIPAddress.InUse",
                $"Address {eip.PublicIp} ({eip.AllocationId}) is in use: it is associated with {eip.InstanceId} ({eip.AssociationId}); disassociate it first."
            );
        r.ThrowIfDryRun();
        c.Account.ElasticIps.Remove(eip.AllocationId);
        return [Leaf("return", true)];
    }

    public static XElement AddressItem(AccountState account, ElasticIpState e) =>
        Item(
            Leaf("instanceId", e.InstanceId),
            Leaf("publicIp", e.PublicIp.ToString()),
            Leaf("allocationId", e.AllocationId),
            Leaf("associationId", e.AssociationId),
            Leaf("domain", "vpc"),
            Leaf("networkInterfaceId", e.InstanceId is null ? null : Ec2Identities.NetworkInterfaceOf(e.InstanceId)),
            Leaf("networkInterfaceOwnerId", e.InstanceId is null ? null : account.Id),
            Leaf("privateIpAddress", Ec2Identities.PrivateIpOf(account, e)),
            Leaf("publicIpv4Pool", Ec2Identities.PoolOf(account, e)),
            Leaf("networkBorderGroup", account.Region)
        );

    /// <summary>The Elastic IP a call names by allocation id (preferred) or public IP, or the matching NotFound
    /// error.</summary>
    public static ElasticIpState ElasticIpOf(Ec2Context c, string? allocationId, string? publicIp)
    {
        if (allocationId is not null)
            return c.Account.ElasticIps.GetValueOrDefault(allocationId)
                ?? throw Ec2Error.AllocationNotFound(allocationId);
        if (publicIp is not null)
            return FindByPublicIp(c.Account, publicIp) ?? throw Ec2Error.AddressNotFound(publicIp);
        throw Ec2Error.MissingParameter("AllocationId");
    }

    static ElasticIpState? FindByPublicIp(AccountState account, string publicIp) =>
        account.ElasticIps.Values.FirstOrDefault(e => e.PublicIp.ToString() == publicIp);

    static void EndAssociation(Ec2Context c, ElasticIpState eip)
    {
        c.Memory.EndedAssociations.Add((c.Account.Id, eip.AssociationId!));
        eip.InstanceId = null;
        eip.AssociationId = null;
    }

    static ElasticIpState? AllocatedAnywhere(SandboxWorld world, IPAddress address) =>
        world.Accounts.Values.SelectMany(a => a.ElasticIps.Values).FirstOrDefault(e => e.PublicIp.Equals(address));

    static bool UsedOutsideEc2(SandboxWorld world, IPAddress address) =>
        world.Hosts.Values.Any(h => h.Addresses.Contains(address))
        || world.Accounts.Values.Any(a => a.ByoipRanges.Values.Any(b => b.Range.Contains(address)));

    static IPAddress? NextFreeAmazonAddress(SandboxWorld world)
    {
        for (var v = SandboxAmazonPool.First; v <= SandboxAmazonPool.Last; v++)
        {
            var candidate = IpRange.FromUInt(v);
            if ((v & 0xff) is 0 or 255)
                continue; // keep clear of .0 and .255, which some resolvers and tools treat specially
            if (AllocatedAnywhere(world, candidate) is null && !UsedOutsideEc2(world, candidate))
                return candidate;
        }
        return null;
    }

    static IPAddress? NextFreeInRange(SandboxWorld world, IpRange range)
    {
        for (ulong v = range.First; v <= range.Last; v++)
        {
            var candidate = IpRange.FromUInt((uint)v);
            if (AllocatedAnywhere(world, candidate) is null)
                return candidate;
        }
        return null;
    }

    static string PoolList(AccountState account) =>
        account.ByoipRanges.Count == 0
            ? "none"
            : string.Join(
                ", ",
                account.ByoipRanges.Values.Select(b => $"{Ec2Identities.PoolIdOf(b.Range)} ({b.Cidr})")
            );
}
