namespace CutoverEngine.Sandbox.Topology;

/// <summary>
/// A sandbox topology: the accounts, zones, addresses and hosts of one rehearsal world, as read from
/// a YAML file under infra/sandbox/. Plain settable classes because YamlDotNet binds them; the sandbox
/// copies them into its own state at start, so editing a topology object after start changes nothing.
/// </summary>
public sealed class SandboxTopology
{
    public TopologySettings Settings { get; set; } = new();
    public List<TopologyAccount> Accounts { get; set; } = [];
    public List<TopologyHost> Hosts { get; set; } = [];
    public List<TopologyEnvironment> Environments { get; set; } = [];

    /// <summary>DNS blocklist zones the sandbox's DNS serves (e.g. zen.spamhaus.org): the listed addresses answer
    /// their return code, every other name in the zone NXDOMAIN (not listed).</summary>
    public List<TopologyBlocklist> Blocklists { get; set; } = [];
}

/// <summary>A DNS blocklist zone and the addresses it lists.</summary>
public sealed class TopologyBlocklist
{
    public string Zone { get; set; } = "";
    public List<TopologyListing> Listings { get; set; } = [];
}

/// <summary>One listed address and the A record its query name answers (127.0.0.2-11 on zen.spamhaus.org are
/// listings, 127.255.255.x errors).</summary>
public sealed class TopologyListing
{
    public string Address { get; set; } = "";
    public string Answer { get; set; } = "127.0.0.2";
}

/// <summary>Timings, quotas and faults. Every default is the value stated here.</summary>
public sealed class TopologySettings
{
    /// <summary>TCP port every simulated MTA listens on, on its own loopback address. Default 2525.</summary>
    public int SmtpPort { get; set; } = 2525;

    /// <summary>Seconds a Route 53 change stays PENDING before it is INSYNC and visible in DNS. Default 2 (AWS:
    /// typically under 60).</summary>
    public double InsyncDelaySeconds { get; set; } = 2;

    /// <summary>Refuse a change to a zone whose previous change is still PENDING (PriorRequestNotComplete). Default
    /// true.</summary>
    public bool PriorRequestNotComplete { get; set; } = true;

    /// <summary>Route 53 requests per second per account, all calls together. Default 5, as AWS.</summary>
    public double Route53RequestsPerSecond { get; set; } = 5;

    /// <summary>EC2 mutating calls: burst 50, 5 per second, as AWS.</summary>
    public TokenBucketSettings Ec2Mutating { get; set; } = new() { Burst = 50, PerSecond = 5 };

    /// <summary>EC2 describe calls: burst 100, 20 per second, as AWS.</summary>
    public TokenBucketSettings Ec2Describe { get; set; } = new() { Burst = 100, PerSecond = 20 };

    /// <summary>BYOIP advertise/withdraw: one per 10 s per account, as AWS.</summary>
    public TokenBucketSettings Ec2Byoip { get; set; } = new() { Burst = 1, PerSecond = 0.1 };

    /// <summary>Seconds from AdvertiseByoipCidr (or Withdraw) until BGP has propagated. Default 5 (AWS:
    /// minutes).</summary>
    public double ByoipPropagationSeconds { get; set; } = 5;

    /// <summary>The autonomous system the data centre announces its ranges from, as the sandbox's looking glass
    /// reports it. Default 64500 (reserved for documentation, RFC 5398).</summary>
    public long DataCentreAsn { get; set; } = 64500;

    public FaultSettings Faults { get; set; } = new();

    /// <summary>Messages each environment's generator produces per second. Default 5.</summary>
    public double MessagesPerSecond { get; set; } = 5;

    /// <summary>Pause lease granted when the caller names none. Default 300 s.</summary>
    public double DefaultPauseLeaseSeconds { get; set; } = 300;
}

public sealed class TokenBucketSettings
{
    public double Burst { get; set; }
    public double PerSecond { get; set; }
}

/// <summary>Injected faults on the AWS endpoint. Rate 0 means none; the seed makes a run reproducible.</summary>
public sealed class FaultSettings
{
    /// <summary>Share of AWS requests that meet a fault (0..1). Default 0.</summary>
    public double Rate { get; set; }

    /// <summary>Seed of the fault dice. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Extra latency of a "slow" fault, in milliseconds. Default 300.</summary>
    public int LatencyMs { get; set; } = 300;
}

public sealed class TopologyAccount
{
    /// <summary>12-digit AWS account id.</summary>
    public string Id { get; set; } = "";
    public string Region { get; set; } = "us-east-1";

    /// <summary>Access key the sandbox accepts for this account; requests are SigV4-verified with the secret.</summary>
    public string AccessKeyId { get; set; } = "";
    public string SecretAccessKey { get; set; } = "";
    public List<TopologyHostedZone> HostedZones { get; set; } = [];
    public List<TopologyElasticIp> ElasticIps { get; set; } = [];
    public List<TopologyByoipRange> ByoipRanges { get; set; } = [];
    public List<TopologyInstance> Instances { get; set; } = [];

    /// <summary>IAM roles other credentials may assume into this account through STS AssumeRole. Default
    /// none.</summary>
    public List<TopologyRole> Roles { get; set; } = [];
}

/// <summary>
/// An IAM role of a sandbox account: its ARN is <c>arn:aws:iam::ACCOUNT:role/NAME</c>; STS AssumeRole hands out
/// temporary keys for it to the callers its trust list names, checking the external id when one is set.
/// </summary>
public sealed class TopologyRole
{
    /// <summary>Role name, e.g. cutover-engine. Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>External id the caller must pass (the confused-deputy guard). Default null (none asked for).</summary>
    public string? ExternalId { get; set; }

    /// <summary>Base access key ids (of any account in the topology) allowed to assume the role. Required,
    /// non-empty.</summary>
    public List<string> TrustedAccessKeys { get; set; } = [];

    /// <summary>
    /// Actions the role's policy allows, as IAM writes them (<c>ec2:DescribeAddresses</c>, <c>route53:*</c>).
    /// Default null: every action. Anything else is refused (EC2 UnauthorizedOperation, Route 53 AccessDenied).
    /// </summary>
    public List<string>? AllowedActions { get; set; }
}

public sealed class TopologyHostedZone
{
    /// <summary>Zone id without the /hostedzone/ prefix, e.g. Z0ACME00000000001.</summary>
    public string Id { get; set; } = "";

    /// <summary>Zone apex, e.g. acme-mail.example (a trailing dot is optional).</summary>
    public string Name { get; set; } = "";
    public List<TopologyRecord> Records { get; set; } = [];
}

public sealed class TopologyRecord
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "A";
    public long Ttl { get; set; } = 300;
    public List<string> Values { get; set; } = [];
}

public sealed class TopologyElasticIp
{
    public string AllocationId { get; set; } = "";
    public string PublicIp { get; set; } = "";

    /// <summary>Instance the address is associated to at start, if any.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Reverse DNS name set on the address at start, if any (else AWS's default ec2-... name).</summary>
    public string? ReverseDns { get; set; }

    /// <summary>BYOIP pool the address was allocated from, if any (then it routes to AWS only while its range is
    /// advertised).</summary>
    public string? PublicIpv4Pool { get; set; }
}

public sealed class TopologyByoipRange
{
    public string Cidr { get; set; } = "";

    /// <summary>provisioned (announced by the data centre) or advertised (announced by AWS). Default
    /// provisioned.</summary>
    public string State { get; set; } = "provisioned";

    /// <summary>Whether the data centre's routers still announce the range (they do until the network team
    /// withdraws it there, after the cutover; finalise confirms they stopped). Default true.</summary>
    public bool AnnouncedFromDataCentre { get; set; } = true;
}

public sealed class TopologyInstance
{
    public string InstanceId { get; set; } = "";

    /// <summary>Id of the AWS host (in Hosts) running on this instance.</summary>
    public string Host { get; set; } = "";
}

public sealed class TopologyHost
{
    /// <summary>Unique id, used in counters (e.g. dc-acme-mta1, aws-acme-mta1).</summary>
    public string Id { get; set; } = "";

    /// <summary>The name the MTA greets with (220 banner and EHLO).</summary>
    public string Name { get; set; } = "";

    /// <summary>datacentre or aws.</summary>
    public string Site { get; set; } = "datacentre";

    /// <summary>Data-centre hosts: the addresses they answer on while AWS does not own them. Their reverse DNS names
    /// the host.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>AWS hosts: the id of the data-centre host this one takes over from (the cutover's plan, not world
    /// state).</summary>
    public string? Replaces { get; set; }

    /// <summary>AWS hosts of Elastic-IP environments: the EIP the cutover will associate to this host (plan, not
    /// state).</summary>
    public string? PlannedAllocationId { get; set; }
}

public sealed class TopologyEnvironment
{
    public string Id { get; set; } = "";
    public string Customer { get; set; } = "";
    public string Tier { get; set; } = "staging";
    public string Offering { get; set; } = "v8";
    public string Account { get; set; } = "";
    public string HostedZoneId { get; set; } = "";
    public string SendingDomain { get; set; } = "";

    /// <summary>elastic-ip or byoip.</summary>
    public string IpStrategy { get; set; } = "elastic-ip";
    public string? ByoipCidr { get; set; }

    /// <summary>The inventory's rangeGroup: set on the environments that share one BYOIP range
    /// (<see cref="TopologyGeneratorOptions.SharedRange"/>); null otherwise.</summary>
    public string? RangeGroup { get; set; }

    /// <summary>The host names the sending application hands mail to (resolved through the sandbox DNS for each
    /// delivery).</summary>
    public List<string> MtaHostNames { get; set; } = [];

    /// <summary>Messages per second for this environment; null takes Settings.MessagesPerSecond.</summary>
    public double? MessagesPerSecond { get; set; }

    /// <summary>The instance's other functions (its API, webmail...) the sandbox serves over HTTP beside the sending
    /// control; the inventory names them under otherFunctions. Empty: none.</summary>
    public List<TopologyOtherFunction> OtherFunctions { get; set; } = [];

    /// <summary>
    /// The failure path this environment is built to show (<see cref="Topology.DesignedFailure"/>: wrong-greeting,
    /// high-ttl), or null. The demo expects a wrong-greeting environment to roll back and every other to complete.
    /// </summary>
    public string? DesignedFailure { get; set; }

    /// <summary>Why this environment exists in a rehearsal, for people. Documentation only: nothing reads it.</summary>
    public string? Note { get; set; }
}

/// <summary>One of an environment's other functions, served at
/// <c>GET /environments/{id}/functions/{name}</c> of the sending control.</summary>
public sealed class TopologyOtherFunction
{
    /// <summary>Unique within the environment; lower-case letters, digits and hyphens.</summary>
    public string Name { get; set; } = "";

    /// <summary>The fault switch: answers 503 while its environment's sending is paused (200 otherwise). Default
    /// false.</summary>
    public bool FailsWhilePaused { get; set; }
}
