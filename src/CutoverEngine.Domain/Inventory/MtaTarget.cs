using System.Net;

namespace CutoverEngine.Domain.Inventory;

/// <summary>Where an MTA host name sends from after the cutover: the new MTA on AWS.</summary>
/// <param name="InstanceId">The EC2 instance running the new MTA.</param>
/// <param name="AllocationId">The Elastic IP to associate to the instance; null for BYOIP (the addresses stay).</param>
/// <param name="Address">The public IPv4 address the host name resolves to after the cutover.</param>
/// <param name="EhloName">The name the new MTA greets with, which is also the PTR of <paramref
/// name="Address"/>.</param>
public sealed record MtaTarget(string InstanceId, string? AllocationId, IPAddress Address, string EhloName);
