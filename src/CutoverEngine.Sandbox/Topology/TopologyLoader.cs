using System.Net;
using CutoverEngine.Sandbox.World;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CutoverEngine.Sandbox.Topology;

/// <summary>Reads topology YAML (see README, "Sandbox topology") and checks that it describes one consistent
/// world.</summary>
public static partial class TopologyLoader
{
    /// <summary>The default rehearsal world, infra/sandbox/default.yaml, embedded so `cutover demo` runs from
    /// anywhere.</summary>
    public static SandboxTopology LoadDefault()
    {
        using var stream =
            typeof(TopologyLoader).Assembly.GetManifestResourceStream("CutoverEngine.Sandbox.default-topology.yaml")
            ?? throw new InvalidOperationException("The default topology is not embedded in the sandbox assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "infra/sandbox/default.yaml");
    }

    public static SandboxTopology Load(string path)
    {
        if (!File.Exists(path))
            throw new SandboxTopologyException($"{path}: topology file not found");
        return Parse(File.ReadAllText(path), path);
    }

    public static SandboxTopology Parse(string yaml, string fileName)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        SandboxTopology topology;
        try
        {
            topology = deserializer.Deserialize<SandboxTopology>(yaml) ?? new SandboxTopology();
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is null ? e.Message : e.InnerException.Message;
            throw new SandboxTopologyException($"{fileName}:{e.Start.Line}:{e.Start.Column}: {inner}");
        }
        var errors = Check(topology).ToList();
        if (errors.Count > 0)
            throw new SandboxTopologyException($"{fileName}: invalid topology:\n  " + string.Join("\n  ", errors));
        return topology;
    }

    public static string Serialize(SandboxTopology topology) =>
        new SerializerBuilder()
            .WithQuotingNecessaryStrings()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .Build()
            .Serialize(topology);

    /// <summary>Whether an AWS host replacing one of the environment's MTAs greets with another name than it.</summary>
    static bool GreetsWrongly(SandboxTopology t, TopologyEnvironment e) =>
        t
            .Hosts.Where(dc =>
                dc.Site == "datacentre" && e.MtaHostNames.Contains(dc.Name, StringComparer.OrdinalIgnoreCase)
            )
            .Any(dc =>
                t.Hosts.Any(aws =>
                    aws.Site == "aws"
                    && aws.Replaces == dc.Id
                    && !string.Equals(aws.Name, dc.Name, StringComparison.OrdinalIgnoreCase)
                )
            );

    static IEnumerable<string> Check(SandboxTopology t)
    {
        var hostIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (h, i) in t.Hosts.Select((h, i) => (h, i)))
        {
            if (string.IsNullOrWhiteSpace(h.Id))
                yield return $"hosts[{i}].id: required";
            else if (!hostIds.Add(h.Id))
                yield return $"hosts[{i}].id: duplicate host id '{h.Id}'";
            if (string.IsNullOrWhiteSpace(h.Name))
                yield return $"hosts[{i}].name: required (the EHLO name)";
            if (h.Site is not ("datacentre" or "aws"))
                yield return $"hosts[{i}].site: '{h.Site}' is not one of datacentre, aws";
            foreach (var a in h.Addresses)
                if (!IPAddress.TryParse(a, out var ip) || !IPAddress.IsLoopback(ip))
                    yield return $"hosts[{i}].addresses: '{a}' is not a loopback IPv4 address (the sandbox plays public IPs on 127.0.0.0/8)";
        }
        var accountIds = new HashSet<string>(StringComparer.Ordinal);
        var zoneIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (a, i) in t.Accounts.Select((a, i) => (a, i)))
        {
            if (a.Id.Length != 12 || !a.Id.All(char.IsAsciiDigit))
                yield return $"accounts[{i}].id: '{a.Id}' is not a 12-digit AWS account id";
            if (!accountIds.Add(a.Id))
                yield return $"accounts[{i}].id: duplicate account '{a.Id}'";
            if (string.IsNullOrEmpty(a.AccessKeyId) || string.IsNullOrEmpty(a.SecretAccessKey))
                yield return $"accounts[{i}]: accessKeyId and secretAccessKey are required (the sandbox verifies SigV4 signatures)";
            foreach (var (z, j) in a.HostedZones.Select((z, j) => (z, j)))
            {
                if (!zoneIds.Add(z.Id))
                    yield return $"accounts[{i}].hostedZones[{j}].id: duplicate zone id '{z.Id}'";
                foreach (var (r, k) in z.Records.Select((r, k) => (r, k)))
                    if (!DnsName.IsInside(r.Name, z.Name))
                        yield return $"accounts[{i}].hostedZones[{j}].records[{k}].name: '{r.Name}' is not inside zone '{z.Name}'";
            }
            foreach (var (e, j) in a.ElasticIps.Select((e, j) => (e, j)))
            {
                if (!IPAddress.TryParse(e.PublicIp, out _))
                    yield return $"accounts[{i}].elasticIps[{j}].publicIp: '{e.PublicIp}' is not an IPv4 address";
                if (e.InstanceId is not null && a.Instances.All(x => x.InstanceId != e.InstanceId))
                    yield return $"accounts[{i}].elasticIps[{j}].instanceId: '{e.InstanceId}' is not an instance of this account";
            }
            foreach (var (r, j) in a.ByoipRanges.Select((r, j) => (r, j)))
            {
                if (!IpRange.TryParse(r.Cidr, out _))
                    yield return $"accounts[{i}].byoipRanges[{j}].cidr: '{r.Cidr}' is not an IPv4 CIDR";
                if (r.State is not ("provisioned" or "advertised"))
                    yield return $"accounts[{i}].byoipRanges[{j}].state: '{r.State}' is not one of provisioned, advertised";
            }
            foreach (var (x, j) in a.Instances.Select((x, j) => (x, j)))
                if (!hostIds.Contains(x.Host))
                    yield return $"accounts[{i}].instances[{j}].host: no host with id '{x.Host}'";
            var roleNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (r, j) in a.Roles.Select((r, j) => (r, j)))
            {
                var where = $"accounts[{i}].roles[{j}]";
                if (!RoleName().IsMatch(r.Name))
                    yield return $"{where}.name: '{r.Name}' is not an IAM role name ([\\w+=,.@-], 1 to 64)";
                else if (!roleNames.Add(r.Name))
                    yield return $"{where}.name: duplicate role '{r.Name}'";
                if (r.TrustedAccessKeys.Count == 0)
                    yield return $"{where}.trustedAccessKeys: at least one access key id is required";
                foreach (var key in r.TrustedAccessKeys.Where(k => t.Accounts.All(x => x.AccessKeyId != k)))
                    yield return $"{where}.trustedAccessKeys: '{key}' is no account's accessKeyId";
                if (r.AllowedActions?.FirstOrDefault(x => !x.Contains(':')) is { } bad)
                    yield return $"{where}.allowedActions: '{bad}' is not service:Action (e.g. ec2:DescribeAddresses)";
            }
        }
        foreach (var (e, i) in t.Environments.Select((e, i) => (e, i)))
        {
            if (!accountIds.Contains(e.Account))
                yield return $"environments[{i}].account: no account '{e.Account}'";
            if (!zoneIds.Contains(e.HostedZoneId))
                yield return $"environments[{i}].hostedZoneId: no hosted zone '{e.HostedZoneId}'";
            if (e.MtaHostNames.Count == 0)
                yield return $"environments[{i}].mtaHostNames: at least one MTA host name is required";
            if (e.DesignedFailure is { } failure && !DesignedFailure.All.Contains(failure))
                yield return $"environments[{i}].designedFailure: '{failure}' is not one of "
                    + string.Join(", ", DesignedFailure.All);
            if (e.DesignedFailure == DesignedFailure.WrongGreeting && !GreetsWrongly(t, e))
                yield return $"environments[{i}].designedFailure: wrong-greeting, "
                    + $"but every new MTA of '{e.Id}' greets with its host name";
            var functionNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (f, j) in e.OtherFunctions.Select((f, j) => (f, j)))
                if (!OtherFunctionName().IsMatch(f.Name))
                    yield return $"environments[{i}].otherFunctions[{j}].name: '{f.Name}' is not lower-case letters, "
                        + "digits and hyphens";
                else if (!functionNames.Add(f.Name))
                    yield return $"environments[{i}].otherFunctions[{j}].name: duplicate function '{f.Name}'";
            if (
                e.DesignedFailure == DesignedFailure.OtherFunctionAffected
                && !e.OtherFunctions.Any(f => f.FailsWhilePaused)
            )
                yield return $"environments[{i}].designedFailure: other-function-affected, "
                    + $"but no other function of '{e.Id}' fails while paused";
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(
        @"^[\w+=,.@-]{1,64}$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant
    )]
    private static partial System.Text.RegularExpressions.Regex RoleName();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex OtherFunctionName();
}
