namespace CutoverEngine.Aws.Ec2;

/// <summary>Bring-your-own-IP ranges: announcing a customer's range from AWS, or withdrawing it.</summary>
public interface IByoipGateway
{
    /// <summary>Every BYOIP range of the account in its region, all pages.</summary>
    Task<IReadOnlyList<ByoipRange>> DescribeRangesAsync(string account, CancellationToken cancellationToken = default);

    /// <summary>Starts announcing <paramref name="cidr"/> from AWS; a no-op when it is advertised or being
    /// advertised.</summary>
    Task<ByoipRangeChange> AdvertiseAsync(string account, string cidr, CancellationToken cancellationToken = default);

    /// <summary>Stops announcing <paramref name="cidr"/> from AWS; a no-op when it is not advertised or being
    /// withdrawn.</summary>
    Task<ByoipRangeChange> WithdrawAsync(string account, string cidr, CancellationToken cancellationToken = default);
}
