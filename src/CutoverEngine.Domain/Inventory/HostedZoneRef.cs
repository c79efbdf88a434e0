namespace CutoverEngine.Domain.Inventory;

/// <summary>The Route 53 hosted zone that holds an environment's MTA host names.</summary>
/// <param name="Id">The zone id without the "/hostedzone/" prefix, e.g. Z0ACME00000000001.</param>
/// <param name="Name">The zone's DNS name, lower case, without trailing dot.</param>
public sealed record HostedZoneRef(string Id, string Name);
