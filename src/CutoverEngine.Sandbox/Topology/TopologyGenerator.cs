using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CutoverEngine.Sandbox.Topology;

/// <summary>Choices for a generated topology; defaults make the shipped default topology.</summary>
public sealed class TopologyGeneratorOptions
{
    /// <summary>Number of environments. Default 15 (five customers with development, staging and production).</summary>
    public int Environments { get; set; } = 15;

    /// <summary>AWS accounts the customers are spread over (quotas are per account). Default 2.</summary>
    public int Accounts { get; set; } = 2;

    /// <summary>
    /// Share of the customers (each with up to three environments) that move by BYOIP, 0..1; the others use Elastic
    /// IPs.
    /// BYOIP customers are spread evenly through the list. Default 1/3 (customers 1, 4, 7, ...).
    /// </summary>
    public double ByoipShare { get; set; } = 1.0 / 3;

    /// <summary>Include the environments designed to show a failure path (a misconfigured new MTA, a high TTL). Default
    /// true.</summary>
    public bool DesignedFailures { get; set; } = true;

    /// <summary>TTL of the MTA A records. Default 60 s (lowered ahead of the move, as runbooks advise).</summary>
    public long RecordTtl { get; set; } = 60;

    /// <summary>
    /// Two customers share one BYOIP range, a range group (issue 19): the development environment of the first
    /// Elastic-IP customer in the account of the first BYOIP customer moves by BYOIP inside that customer's staging
    /// range (addresses .111 and up), and both environments declare one rangeGroup. Default false: the shipped
    /// default topology has no group.
    /// </summary>
    public bool SharedRange { get; set; }

    public TopologySettings Settings { get; set; } = new();
}

/// <summary>
/// Builds rehearsal worlds: customers with development, staging and production environments sharing the
/// customer's hosted zone, offerings and IP strategies in rotation, every address on loopback.
/// Address plan (e = environment index, h = host index): data centre 127.(10+e/256).(e%256).(11+h),
/// Elastic IPs 127.(20+e/256).(e%256).(11+h), BYOIP ranges 127.(30+e/256).(e%256).0/24.
/// </summary>
public static class TopologyGenerator
{
    /// <summary>The address plan gives each block 10 second-octet values of 256 environments.</summary>
    public const int MaxEnvironments = 2560;

    static readonly string[] Customers =
    [
        "acme",
        "globex",
        "initech",
        "umbrella",
        "hooli",
        "stark",
        "wayne",
        "wonka",
        "tyrell",
        "cyberdyne",
        "soylent",
        "massive",
        "oscorp",
        "vandelay",
        "duff",
    ];
    static readonly string[] Offerings = ["v8", "v7-hosted", "v7-hybrid", "managed-services"];
    static readonly string[] Tiers = ["development", "staging", "production"];
    static readonly string[] TierLabels = ["dev", "stg", "prod"];

    /// <summary>Index (customer 3, staging) of the environment whose new MTA greets with the wrong name.</summary>
    public const int MisconfiguredEnvironmentIndex = 3 * 3 + 1;

    /// <summary>Index (customer 2, staging) of the environment whose API fails while its sending is paused.</summary>
    public const int FunctionFailsWhilePausedEnvironmentIndex = 2 * 3 + 1;

    /// <summary>Index (customer 2, development) of the environment whose new address is on the sandbox's
    /// blocklist.</summary>
    public const int BlocklistedEnvironmentIndex = 2 * 3;

    /// <summary>The blocklist zone the sandbox serves, as the engine's default Waves:Prepare:Blocklists.</summary>
    public const string BlocklistZone = "zen.spamhaus.org";

    /// <summary>Index (customer 2, production) of the environment whose SPF lists only its data-centre range, as a
    /// real migration starts.</summary>
    public const int UnpreparedSpfEnvironmentIndex = 2 * 3 + 2;

    /// <summary>Index (customer 4, development) of the environment whose records still carry a one-hour TTL.</summary>
    public const int HighTtlEnvironmentIndex = 4 * 3;

    /// <summary>
    /// Customer <paramref name="c"/> is BYOIP when the running count of BYOIP customers, floor((c + 2) x share), steps
    /// up at it: exactly the share over any run of customers, evenly spread, and for 1/3 the customers 1, 4, 7, ...
    /// (the rotation the shipped default topology was generated with). The epsilon keeps 3 x (1/3) at 1.
    /// </summary>
    static bool IsByoipCustomer(int c, double share) =>
        Math.Floor((c + 2) * share + 1e-9) - Math.Floor((c + 1) * share + 1e-9) >= 1;

    public static SandboxTopology Generate(TopologyGeneratorOptions? options = null)
    {
        options ??= new TopologyGeneratorOptions();
        if (options.Environments < 1 || options.Environments > MaxEnvironments)
            throw new ArgumentOutOfRangeException(
                nameof(options),
                $"environments must be between 1 and {MaxEnvironments}, not {options.Environments}"
            );
        if (options.Accounts < 1 || options.Accounts > 99)
            throw new ArgumentOutOfRangeException(
                nameof(options),
                $"accounts must be between 1 and 99, not {options.Accounts}"
            );
        if (!(options.ByoipShare >= 0 && options.ByoipShare <= 1))
            throw new ArgumentOutOfRangeException(
                nameof(options),
                $"the BYOIP share must be between 0 and 1, not {options.ByoipShare.ToString(CultureInfo.InvariantCulture)}"
            );

        var t = new SandboxTopology { Settings = options.Settings };
        for (int a = 0; a < options.Accounts; a++)
        {
            var n = a + 1;
            t.Accounts.Add(
                new TopologyAccount
                {
                    Id = n < 10 ? new string((char)('0' + n), 12) : $"{n:D12}",
                    Region = "us-east-1",
                    AccessKeyId = $"AKIASANDBOX{n:D9}",
                    SecretAccessKey = $"sandbox/secret/{n:D2}/not-a-real-aws-key",
                }
            );
        }
        // Each account has the role a migration team creates (infra/aws/role-trust-policy.json), trusted by the first
        // account's key: the engine's base credentials, as an instance role or SSO user would be on AWS.
        foreach (var account in t.Accounts)
            account.Roles.Add(
                new TopologyRole
                {
                    Name = EngineRoleName,
                    ExternalId = EngineRoleExternalId,
                    TrustedAccessKeys = [t.Accounts[0].AccessKeyId],
                }
            );

        // The range a second customer's environment joins when options.SharedRange: the first BYOIP staging one's.
        (TopologyEnvironment Owner, int Index)? sharedRange = null;
        TopologyEnvironment? sharer = null;
        var customerCount = (options.Environments + 2) / 3;
        for (int c = 0; c < customerCount; c++)
        {
            var customer =
                c < Customers.Length ? Customers[c] : $"{Customers[c % Customers.Length]}{c / Customers.Length + 1}";
            var account = t.Accounts[c % t.Accounts.Count];
            var zoneName = $"{customer}-mail.example";
            var zone = new TopologyHostedZone { Id = $"Z{c + 1:D5}SANDBOXZONE", Name = zoneName };
            account.HostedZones.Add(zone);
            var offering = Offerings[c % Offerings.Length];
            var byoip = IsByoipCustomer(c, options.ByoipShare);

            for (int tier = 0; tier < 3; tier++)
            {
                var e = c * 3 + tier;
                if (e >= options.Environments)
                    break;
                var envId = $"{customer}-{TierLabels[tier]}";
                var sendingDomain = $"{TierLabels[tier]}.{zoneName}";
                var hosts = tier == 2 ? 2 : 1;
                var sharing =
                    !byoip
                    && tier == 0
                    && sharer is null
                    && sharedRange is { } owner
                    && owner.Owner.Account == account.Id;
                var envByoip = byoip || sharing;
                // The range's index in the address plan: the environment's own, or the one whose range it shares.
                var r = sharing ? sharedRange!.Value.Index : e;
                var firstHost = sharing ? 111 : 11;
                var env = new TopologyEnvironment
                {
                    Id = envId,
                    Customer = char.ToUpperInvariant(customer[0]) + customer[1..] + " Corp",
                    Tier = Tiers[tier],
                    Offering = offering,
                    Account = account.Id,
                    HostedZoneId = zone.Id,
                    SendingDomain = sendingDomain,
                    IpStrategy = envByoip ? "byoip" : "elastic-ip",
                    ByoipCidr = envByoip ? $"127.{30 + r / 256}.{r % 256}.0/24" : null,
                };
                if (sharing)
                {
                    sharer = env;
                    env.RangeGroup = sharedRange!.Value.Owner.RangeGroup = $"{sharedRange.Value.Owner.Id}-{envId}";
                    env.Note = $"Shares {env.ByoipCidr} with {sharedRange.Value.Owner.Id}: both move in one cutover.";
                }
                else if (options.SharedRange && byoip && tier == 1 && sharedRange is null)
                    sharedRange = (env, e);
                // The unprepared environment starts as a real migration does, at an hour's TTL too: prepare lowers it.
                var ttl =
                    options.DesignedFailures && e is HighTtlEnvironmentIndex or UnpreparedSpfEnvironmentIndex
                        ? 3600
                        : options.RecordTtl;
                if (options.DesignedFailures && e == HighTtlEnvironmentIndex)
                {
                    env.DesignedFailure = DesignedFailure.HighTtl;
                    env.Note =
                        "Records still carry a one-hour TTL: the plan warns that resolvers may keep the old address that long.";
                }

                for (int h = 0; h < hosts; h++)
                {
                    var name = $"mta{h + 1}.{sendingDomain}";
                    var dcAddress = envByoip
                        ? $"127.{30 + r / 256}.{r % 256}.{firstHost + h}"
                        : $"127.{10 + e / 256}.{e % 256}.{11 + h}";
                    var instanceId = string.Create(
                        CultureInfo.InvariantCulture,
                        $"i-{0xa0000000000000UL + (ulong)e * 16 + (ulong)h:x17}"
                    );
                    var allocationId = string.Create(
                        CultureInfo.InvariantCulture,
                        $"eipalloc-{0xe0000000000000UL + (ulong)e * 16 + (ulong)h:x17}"
                    );
                    var misconfigured = options.DesignedFailures && e == MisconfiguredEnvironmentIndex;
                    t.Hosts.Add(
                        new TopologyHost
                        {
                            Id = $"dc-{envId}-mta{h + 1}",
                            Name = name,
                            Site = "datacentre",
                            Addresses = [dcAddress],
                        }
                    );
                    t.Hosts.Add(
                        new TopologyHost
                        {
                            Id = $"aws-{envId}-mta{h + 1}",
                            // A new MTA whose hostname was never set greets with the instance's internal name:
                            // verification must catch it.
                            Name = misconfigured ? $"ip-10-0-{e % 256}-{11 + h}.ec2.internal" : name,
                            Site = "aws",
                            Replaces = $"dc-{envId}-mta{h + 1}",
                            PlannedAllocationId = envByoip ? null : allocationId,
                        }
                    );
                    account.Instances.Add(
                        new TopologyInstance { InstanceId = instanceId, Host = $"aws-{envId}-mta{h + 1}" }
                    );
                    if (envByoip)
                        account.ElasticIps.Add(
                            new TopologyElasticIp
                            {
                                // BYOIP: the address is already allocated from the customer's pool and associated; it
                                // routes to AWS once the range is advertised.
                                AllocationId = allocationId,
                                PublicIp = dcAddress,
                                InstanceId = instanceId,
                                PublicIpv4Pool = $"ipv4pool-ec2-{r:x17}",
                            }
                        );
                    else
                        account.ElasticIps.Add(
                            new TopologyElasticIp
                            {
                                AllocationId = allocationId,
                                PublicIp = $"127.{20 + e / 256}.{e % 256}.{11 + h}",
                            }
                        );
                    zone.Records.Add(
                        new TopologyRecord
                        {
                            Name = name,
                            Type = "A",
                            Ttl = ttl,
                            Values = [dcAddress],
                        }
                    );
                    env.MtaHostNames.Add(name);
                }
                if (options.DesignedFailures && e == MisconfiguredEnvironmentIndex)
                {
                    env.DesignedFailure = DesignedFailure.WrongGreeting;
                    env.Note =
                        "Designed to fail verification: the new MTA greets with its EC2-internal name instead of its host name, so the cutover rolls back.";
                }
                // Every instance has an API that should stay up while its sending is paused; one, by design, does not.
                var apiFails = options.DesignedFailures && e == FunctionFailsWhilePausedEnvironmentIndex;
                env.OtherFunctions.Add(new TopologyOtherFunction { Name = "api", FailsWhilePaused = apiFails });
                if (apiFails)
                {
                    env.DesignedFailure = DesignedFailure.OtherFunctionAffected;
                    env.Note =
                        "Its API fails while sending is paused: the cutover completes and reports the other function as affected.";
                }
                if (options.DesignedFailures && e == BlocklistedEnvironmentIndex && !envByoip)
                {
                    env.DesignedFailure = DesignedFailure.BlocklistedTarget;
                    env.Note =
                        $"Its new address is listed on {BlocklistZone} (the sandbox's): prepare reports it not ready.";
                    t.Blocklists.Add(
                        new TopologyBlocklist
                        {
                            Zone = BlocklistZone,
                            Listings =
                            [
                                new TopologyListing
                                {
                                    Address = $"127.{20 + e / 256}.{e % 256}.11",
                                    Answer = "127.0.0.2",
                                },
                            ],
                        }
                    );
                }
                if (byoip)
                    account.ByoipRanges.Add(new TopologyByoipRange { Cidr = env.ByoipCidr!, State = "provisioned" });
                var unpreparedSpf = options.DesignedFailures && e == UnpreparedSpfEnvironmentIndex && !envByoip;
                if (unpreparedSpf)
                {
                    env.DesignedFailure = DesignedFailure.UnpreparedSpf;
                    env.Note =
                        "Its SPF lists only the data-centre range and its records carry an hour's TTL, as a real "
                        + "migration starts: prepare pre-authorises the new addresses and lowers the TTL (a cutover "
                        + "without prepare fails its SPF check and rolls back).";
                }
                var spf =
                    envByoip ? $"\"v=spf1 ip4:{env.ByoipCidr} -all\""
                    : unpreparedSpf ? $"\"v=spf1 ip4:127.{10 + e / 256}.{e % 256}.0/24 -all\""
                    : $"\"v=spf1 ip4:127.{10 + e / 256}.{e % 256}.0/24 ip4:127.{20 + e / 256}.{e % 256}.0/24 -all\"";
                zone.Records.Add(
                    new TopologyRecord
                    {
                        Name = sendingDomain,
                        Type = "TXT",
                        Ttl = 300,
                        Values = [spf],
                    }
                );
                zone.Records.Add(
                    new TopologyRecord
                    {
                        Name = sendingDomain,
                        Type = "MX",
                        Ttl = 300,
                        Values = [$"10 mta1.{sendingDomain}"],
                    }
                );
                t.Environments.Add(env);
            }
        }
        return t;
    }

    /// <summary>The role every generated account declares for the engine, and the external id it asks for.</summary>
    public const string EngineRoleName = "cutover-engine",
        EngineRoleExternalId = "cutover-rehearsal";

    /// <summary>
    /// The inventory (docs/inventory-format.md) a migration team would write for this world: one entry per
    /// environment, current addresses from the data-centre hosts, targets from the AWS hosts that replace them.
    /// </summary>
    public static string InventoryYaml(SandboxTopology topology, Uri sendingControlBase)
    {
        var document = new InventoryDocument
        {
            Accounts = topology
                .Accounts.Select(a => new InventoryAccountEntry
                {
                    Id = a.Id,
                    Name = $"sandbox-{a.Id[..3]}",
                    Region = a.Region,
                })
                .ToList(),
            // Each customer's operations team gets the notices of all its environments.
            Customers = topology
                .Environments.DistinctBy(e => e.Customer, StringComparer.Ordinal)
                .Select(first => new InventoryCustomerEntry
                {
                    Name = first.Customer,
                    Contacts = [$"{ContactName(first.Customer)} operations <operations@{ZoneName(topology, first)}>"],
                })
                .ToList(),
            Environments = topology
                .Environments.Select(env => InventoryEntry(topology, env, sendingControlBase))
                .ToList(),
        };
        return "# The inventory of a sandbox world, written by `cutover sandbox generate`."
            + " Format: docs/inventory-format.md.\n"
            + InventorySerializer.Serialize(document);
    }

    // Quoting what YAML would read as another type keeps account ids ("111111111111") text for any reader.
    static readonly ISerializer InventorySerializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithIndentedSequences()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    static InventoryEnvironmentEntry InventoryEntry(
        SandboxTopology topology,
        TopologyEnvironment env,
        Uri sendingControlBase
    )
    {
        var account = topology.Accounts.First(a => a.Id == env.Account);
        var zone = account.HostedZones.First(z => z.Id == env.HostedZoneId);
        var mtaHosts = new List<InventoryMtaHostEntry>();
        foreach (var name in env.MtaHostNames)
        {
            var dc = topology.Hosts.First(h =>
                h.Site == "datacentre" && string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)
            );
            var aws = topology.Hosts.First(h => h.Site == "aws" && h.Replaces == dc.Id);
            var instance = account.Instances.First(i => i.Host == aws.Id);
            var eip = aws.PlannedAllocationId is null
                ? null
                : account.ElasticIps.First(e => e.AllocationId == aws.PlannedAllocationId);
            mtaHosts.Add(
                new InventoryMtaHostEntry
                {
                    Name = name,
                    CurrentAddress = dc.Addresses[0],
                    Target = new InventoryTargetEntry
                    {
                        InstanceId = instance.InstanceId,
                        AllocationId = eip?.AllocationId,
                        Address = eip?.PublicIp ?? dc.Addresses[0],
                        EhloName = name,
                    },
                }
            );
        }
        return new InventoryEnvironmentEntry
        {
            Id = env.Id,
            Customer = env.Customer,
            Tier = env.Tier,
            Offering = env.Offering,
            Account = env.Account,
            HostedZone = new InventoryHostedZoneEntry { Id = zone.Id, Name = zone.Name.TrimEnd('.') },
            SendingDomain = env.SendingDomain,
            SendingControl = new Uri(sendingControlBase, $"environments/{env.Id}").ToString(),
            IpStrategy = env.IpStrategy,
            ByoipCidr = env.ByoipCidr,
            RangeGroup = env.RangeGroup,
            MtaHosts = mtaHosts,
            OtherFunctions =
                env.OtherFunctions.Count == 0
                    ? null
                    : env
                        .OtherFunctions.Select(f => new InventoryOtherFunctionEntry
                        {
                            Name = f.Name,
                            Url = new Uri(sendingControlBase, $"environments/{env.Id}/functions/{f.Name}").ToString(),
                        })
                        .ToList(),
            TestMessage = new InventoryTestMessageEntry
            {
                From = $"cutover-probe@{env.SendingDomain}",
                To = $"postmaster@{env.SendingDomain}",
            },
        };
    }

    // A display name holds no quotes or angle brackets (docs/inventory-format.md), whatever the customer is called.
    static string ContactName(string customer) =>
        string.Concat(customer.Where(c => c is not ('"' or '<' or '>'))).Trim();

    static string ZoneName(SandboxTopology topology, TopologyEnvironment env) =>
        topology
            .Accounts.First(a => a.Id == env.Account)
            .HostedZones.First(z => z.Id == env.HostedZoneId)
            .Name.TrimEnd('.');
}
