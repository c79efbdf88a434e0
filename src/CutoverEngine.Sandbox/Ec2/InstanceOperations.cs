using System.Xml.Linq;
using CutoverEngine.Sandbox.World;
using static CutoverEngine.Sandbox.Ec2.Ec2Xml;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// DescribeInstances and DescribeNetworkInterfaces over the world's instances: each is a running instance with one
/// primary network interface (device 0) whose private addresses carry the Elastic IPs associated to it. Enough for a
/// client to find an instance's interface and see which public addresses it answers on.
/// </summary>
public static class InstanceOperations
{
    /// <summary>One private address of an instance's interface and the Elastic IP associated to it, if any.</summary>
    sealed record PrivateAddress(string Ip, bool Primary, ElasticIpState? Eip);

    /// <summary>What EC2 shows of one instance and its primary interface.</summary>
    sealed record InstanceView(
        AccountState Account,
        string InstanceId,
        HostState? Host,
        IReadOnlyList<PrivateAddress> Addresses
    )
    {
        public string NetworkInterfaceId => Ec2Identities.NetworkInterfaceOf(InstanceId);
        public PrivateAddress Primary => Addresses[0];
        public string? PublicIp => Primary.Eip?.PublicIp.ToString();
        public string AvailabilityZone => Account.Region + "a";
        public string? Name => Host?.Name;

        public static InstanceView Of(SandboxWorld world, AccountState account, string instanceId)
        {
            var eips = Ec2Identities.AssociatedTo(account, instanceId);
            var addresses = new List<PrivateAddress>
            {
                new(Ec2Identities.PrivateIpOf(instanceId), true, eips.Count > 0 ? eips[0] : null),
            };
            addresses.AddRange(
                eips.Skip(1).Select(e => new PrivateAddress(Ec2Identities.PrivateIpOf(account, e)!, false, e))
            );
            return new InstanceView(
                account,
                instanceId,
                world.Hosts.GetValueOrDefault(account.Instances[instanceId]),
                addresses
            );
        }
    }

    static readonly Dictionary<string, Func<InstanceView, IEnumerable<string?>>> InstanceFilters = new(
        StringComparer.Ordinal
    )
    {
        ["instance-id"] = v => [v.InstanceId],
        ["instance-state-name"] = _ => ["running"],
        ["instance-state-code"] = _ => ["16"],
        ["owner-id"] = v => [v.Account.Id],
        ["reservation-id"] = v => [Ec2Identities.ReservationOf(v.InstanceId)],
        ["availability-zone"] = v => [v.AvailabilityZone],
        ["private-ip-address"] = v => [v.Primary.Ip],
        ["private-dns-name"] = v => [Ec2Identities.PrivateDnsNameOf(v.Primary.Ip, v.Account.Region)],
        ["ip-address"] = v => [v.PublicIp],
        ["dns-name"] = v => [v.PublicIp is null ? null : Ec2Identities.PublicDnsNameOf(v.PublicIp, v.Account.Region)],
        ["network-interface.network-interface-id"] = v => [v.NetworkInterfaceId],
        ["network-interface.addresses.private-ip-address"] = v => v.Addresses.Select(a => a.Ip),
        ["network-interface.addresses.association.public-ip"] = v =>
            v.Addresses.Select(a => a.Eip?.PublicIp.ToString()),
        ["tag-key"] = v => v.Name is null ? [] : ["Name"],
        ["tag:Name"] = v => [v.Name],
    };

    static readonly Dictionary<string, Func<InstanceView, IEnumerable<string?>>> InterfaceFilters = new(
        StringComparer.Ordinal
    )
    {
        ["network-interface-id"] = v => [v.NetworkInterfaceId],
        ["owner-id"] = v => [v.Account.Id],
        ["status"] = _ => ["in-use"],
        ["interface-type"] = _ => ["interface"],
        ["availability-zone"] = v => [v.AvailabilityZone],
        ["private-ip-address"] = v => [v.Primary.Ip],
        ["attachment.instance-id"] = v => [v.InstanceId],
        ["attachment.instance-owner-id"] = v => [v.Account.Id],
        ["attachment.attachment-id"] = v => [Ec2Identities.AttachmentOf(v.InstanceId)],
        ["attachment.status"] = _ => ["attached"],
        ["attachment.device-index"] = _ => ["0"],
        ["addresses.private-ip-address"] = v => v.Addresses.Select(a => a.Ip),
        ["addresses.association.public-ip"] = v => v.Addresses.Select(a => a.Eip?.PublicIp.ToString()),
        ["addresses.association.owner-id"] = v => v.Addresses.Select(a => a.Eip is null ? null : v.Account.Id),
        ["association.public-ip"] = v => [v.Primary.Eip?.PublicIp.ToString()],
        ["association.allocation-id"] = v => [v.Primary.Eip?.AllocationId],
        ["association.association-id"] = v => [v.Primary.Eip?.AssociationId],
        ["association.ip-owner-id"] = v => [v.Primary.Eip is null ? null : v.Account.Id],
    };

    public static IEnumerable<XElement?> DescribeInstances(Ec2Context c)
    {
        var r = c.Request;
        var ids = r.List("InstanceId");
        var (views, next) = Select(
            c,
            ids,
            "InstanceId",
            InstanceFilters,
            v => v.InstanceId,
            "instance",
            missing => new Ec2Error(
                400,
                "InvalidInstanceID.NotFound",
                missing.Count == 1
                    ? $"The instance ID '{missing[0]}' does not exist"
                    : $"The instance IDs '{string.Join(", ", missing)}' do not exist"
            )
        );
        // EC2 answers one reservation per launch; each sandbox instance is its own launch.
        return
        [
            Set(
                "reservationSet",
                views.Select(v =>
                    Item(
                        Leaf("reservationId", Ec2Identities.ReservationOf(v.InstanceId)),
                        Leaf("ownerId", v.Account.Id),
                        Set("groupSet", []),
                        Set("instancesSet", [InstanceItem(v)])
                    )
                )
            ),
            Leaf("nextToken", next),
        ];
    }

    public static IEnumerable<XElement?> DescribeNetworkInterfaces(Ec2Context c)
    {
        var r = c.Request;
        var enis = r.List("NetworkInterfaceId");
        var byEni = c.Account.Instances.Keys.ToDictionary(Ec2Identities.NetworkInterfaceOf, StringComparer.Ordinal);
        var (views, next) = Select(
            c,
            [.. enis.Select(e => byEni.GetValueOrDefault(e) ?? e)],
            "NetworkInterfaceId",
            InterfaceFilters,
            v => v.NetworkInterfaceId,
            "eni",
            missing => new Ec2Error(
                400,
                "InvalidNetworkInterfaceID.NotFound",
                $"The networkInterface ID '{string.Join(", ", missing)}' does not exist"
            )
        );
        return [Set("networkInterfaceSet", views.Select(InterfaceItem)), Leaf("nextToken", next)];
    }

    /// <summary>Ids, filters and paging, as DescribeInstances and DescribeNetworkInterfaces share them.</summary>
    static (List<InstanceView> Page, string? NextToken) Select(
        Ec2Context c,
        IReadOnlyList<string> instanceIds,
        string idParameter,
        Dictionary<string, Func<InstanceView, IEnumerable<string?>>> filterTable,
        Func<InstanceView, string> key,
        string tokenKind,
        Func<IReadOnlyList<string>, Ec2Error> notFound
    )
    {
        var r = c.Request;
        var filters = r.Filters();
        foreach (var f in filters)
            if (!filterTable.ContainsKey(f.Name) && !f.Name.StartsWith("tag:", StringComparison.Ordinal))
                throw Ec2Error.InvalidParameterValue(
                    $"The filter '{f.Name}' is invalid; valid filters: {string.Join(", ", filterTable.Keys)}"
                );
        var missing = instanceIds.Where(i => !c.Account.Instances.ContainsKey(i)).ToList();
        if (missing.Count > 0)
            throw notFound(missing);
        var max = r.Integer("MaxResults");
        if (max is not null && instanceIds.Count > 0)
            throw new Ec2Error(
                400,
                "InvalidParameterCombination",
                $"The parameter {idParameter} cannot be used with the parameter MaxResults"
            );
        if (max is < 5 or > 1000)
            throw Ec2Error.InvalidParameterValue(
                $"Value ({max}) for parameter MaxResults is invalid. Expected a value between 5 and 1000."
            );
        r.ThrowIfDryRun();

        var all = c
            .Account.Instances.Keys.Where(i => instanceIds.Count == 0 || instanceIds.Contains(i))
            .Select(i => InstanceView.Of(c.World, c.Account, i))
            .Where(v =>
                filters.All(f => f.MatchesAny(filterTable.TryGetValue(f.Name, out var values) ? values(v) : []))
            )
            .OrderBy(key, StringComparer.Ordinal)
            .ToList();
        var start = 0;
        if (r.Optional("NextToken") is { } token)
        {
            var after = Paging.Decode(token, tokenKind, k => k.Length > 0);
            start = all.FindIndex(v => string.CompareOrdinal(key(v), after) >= 0);
            if (start < 0)
                start = all.Count;
        }
        var take = max ?? int.MaxValue;
        var page = all.Skip(start).Take(take).ToList();
        var next = start + page.Count < all.Count ? Paging.Encode(tokenKind, key(all[start + page.Count])) : null;
        return (page, next);
    }

    static XElement InstanceItem(InstanceView v)
    {
        var region = v.Account.Region;
        return Item(
            Leaf("instanceId", v.InstanceId),
            Leaf("imageId", "ami-0sandbox00000000"),
            Struct("instanceState", Leaf("code", "16"), Leaf("name", "running")),
            Leaf("privateDnsName", Ec2Identities.PrivateDnsNameOf(v.Primary.Ip, region)),
            Leaf("dnsName", v.PublicIp is null ? "" : Ec2Identities.PublicDnsNameOf(v.PublicIp, region)),
            Leaf("amiLaunchIndex", "0"),
            Struct("placement", Leaf("availabilityZone", v.AvailabilityZone), Leaf("tenancy", "default")),
            Leaf("privateIpAddress", v.Primary.Ip),
            Leaf("ipAddress", v.PublicIp),
            Leaf("architecture", "x86_64"),
            Leaf("rootDeviceType", "ebs"),
            Leaf("virtualizationType", "hvm"),
            Leaf("hypervisor", "xen"),
            Leaf("sourceDestCheck", true),
            v.Name is null ? null : Set("tagSet", [Item(Leaf("key", "Name"), Leaf("value", v.Name))]),
            Set(
                "networkInterfaceSet",
                [
                    Item(
                        Leaf("networkInterfaceId", v.NetworkInterfaceId),
                        Leaf("ownerId", v.Account.Id),
                        Leaf("status", "in-use"),
                        Leaf("privateIpAddress", v.Primary.Ip),
                        Leaf("privateDnsName", Ec2Identities.PrivateDnsNameOf(v.Primary.Ip, region)),
                        Leaf("sourceDestCheck", true),
                        Leaf("interfaceType", "interface"),
                        Struct(
                            "attachment",
                            Leaf("attachmentId", Ec2Identities.AttachmentOf(v.InstanceId)),
                            Leaf("deviceIndex", "0"),
                            Leaf("networkCardIndex", "0"),
                            Leaf("status", "attached"),
                            Leaf("deleteOnTermination", true)
                        ),
                        InstanceAssociation(v, v.Primary),
                        Set(
                            "privateIpAddressesSet",
                            v.Addresses.Select(a =>
                                Item(
                                    Leaf("privateIpAddress", a.Ip),
                                    Leaf("privateDnsName", Ec2Identities.PrivateDnsNameOf(a.Ip, region)),
                                    Leaf("primary", a.Primary),
                                    InstanceAssociation(v, a)
                                )
                            )
                        )
                    ),
                ]
            )
        );
    }

    static XElement? InstanceAssociation(InstanceView v, PrivateAddress a) =>
        a.Eip is null
            ? null
            : Struct(
                "association",
                Leaf("publicIp", a.Eip.PublicIp.ToString()),
                Leaf("publicDnsName", Ec2Identities.PublicDnsNameOf(a.Eip.PublicIp.ToString(), v.Account.Region)),
                Leaf("ipOwnerId", v.Account.Id)
            );

    static XElement InterfaceItem(InstanceView v)
    {
        var region = v.Account.Region;
        return Item(
            Leaf("networkInterfaceId", v.NetworkInterfaceId),
            Leaf("availabilityZone", v.AvailabilityZone),
            Leaf("description", ""),
            Leaf("ownerId", v.Account.Id),
            Leaf("requesterManaged", false),
            Leaf("status", "in-use"),
            Leaf("privateIpAddress", v.Primary.Ip),
            Leaf("privateDnsName", Ec2Identities.PrivateDnsNameOf(v.Primary.Ip, region)),
            Leaf("sourceDestCheck", true),
            Leaf("interfaceType", "interface"),
            Struct(
                "attachment",
                Leaf("attachmentId", Ec2Identities.AttachmentOf(v.InstanceId)),
                Leaf("instanceId", v.InstanceId),
                Leaf("instanceOwnerId", v.Account.Id),
                Leaf("deviceIndex", "0"),
                Leaf("networkCardIndex", "0"),
                Leaf("status", "attached"),
                Leaf("deleteOnTermination", true)
            ),
            InterfaceAssociation(v, v.Primary),
            Set(
                "privateIpAddressesSet",
                v.Addresses.Select(a =>
                    Item(
                        Leaf("privateIpAddress", a.Ip),
                        Leaf("privateDnsName", Ec2Identities.PrivateDnsNameOf(a.Ip, region)),
                        Leaf("primary", a.Primary),
                        InterfaceAssociation(v, a)
                    )
                )
            ),
            Set("tagSet", [])
        );
    }

    static XElement? InterfaceAssociation(InstanceView v, PrivateAddress a) =>
        a.Eip is null
            ? null
            : Struct(
                "association",
                Leaf("publicIp", a.Eip.PublicIp.ToString()),
                Leaf("publicDnsName", Ec2Identities.PublicDnsNameOf(a.Eip.PublicIp.ToString(), v.Account.Region)),
                Leaf("ipOwnerId", v.Account.Id),
                Leaf("allocationId", a.Eip.AllocationId),
                Leaf("associationId", a.Eip.AssociationId)
            );
}
