using System.Net;

namespace CutoverEngine.Sandbox.World;

/// <summary>An Elastic IP. Mutable under the world's gate.</summary>
public sealed class ElasticIpState
{
    public required string AllocationId { get; init; }
    public required IPAddress PublicIp { get; init; }
    public required string AccountId { get; init; }
    public string? PublicIpv4Pool { get; init; }
    public string? InstanceId { get; set; }
    public string? AssociationId { get; set; }

    /// <summary>Reverse DNS name set with ModifyAddressAttribute; null means AWS's default ec2-a-b-c-d name.</summary>
    public string? ReverseDns { get; set; }

    public string DefaultReverseDns(string region) =>
        $"ec2-{PublicIp.ToString().Replace('.', '-')}.{(region == "us-east-1" ? "compute-1" : region + ".compute")}.amazonaws.com.";
}
