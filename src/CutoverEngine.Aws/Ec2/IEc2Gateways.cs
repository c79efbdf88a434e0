namespace CutoverEngine.Aws.Ec2;

/// <summary>
/// Elastic IPs as the cutover moves them: which host holds an address, moving it, and its reverse DNS.
/// Mutations check the live state first and are no-ops (saying so) when it already matches.
/// </summary>
public interface IElasticIpGateway
{
    /// <summary>The account's addresses in its region; only the given allocation ids when any are given.</summary>
    Task<IReadOnlyList<ElasticIp>> DescribeAddressesAsync(
        string account,
        IReadOnlyCollection<string>? allocationIds = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>Associates the address with <paramref name="target"/>, moving it from wherever it is.</summary>
    Task<AddressAssociation> AssociateAsync(
        string account,
        string allocationId,
        AddressTarget target,
        CancellationToken cancellationToken = default
    );

    /// <summary>Detaches the address from whatever it is associated with.</summary>
    Task<AddressDisassociation> DisassociateAsync(
        string account,
        string allocationId,
        CancellationToken cancellationToken = default
    );

    /// <summary>The address's reverse DNS (DescribeAddressesAttribute domain-name).</summary>
    Task<ReverseDns> GetReverseDnsAsync(
        string account,
        string allocationId,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Sets the address's reverse DNS (ModifyAddressAttribute). AWS checks that <paramref name="domainName"/> resolves
    /// forward to the address, so the A record must exist first.
    /// </summary>
    Task<ReverseDnsChange> SetReverseDnsAsync(
        string account,
        string allocationId,
        string domainName,
        CancellationToken cancellationToken = default
    );
}
