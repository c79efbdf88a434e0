namespace CutoverEngine.Aws.Ec2;

/// <summary>What EC2 said to a call made with DryRun: permitted (DryRunOperation), refused
/// (UnauthorizedOperation), or another answer that says the call would fail for another reason.</summary>
public sealed record DryRunResult(AwsOperation Operation, bool Permitted, string Code, string Message);

/// <summary>
/// The IAM permissions of the cutover's mutating EC2 calls, asked without changing anything: EC2 checks the
/// caller's permission and the request, then answers DryRunOperation instead of acting. (Route 53 has no dry run;
/// prepare exercises route53:ChangeResourceRecordSets for real when it lowers the TTLs.)
/// </summary>
public interface IEc2DryRun
{
    /// <summary>AssociateAddress of the Elastic IP to <paramref name="target"/>, as the cutover will call it.</summary>
    Task<DryRunResult> DryRunAssociateAsync(
        string account,
        string allocationId,
        AddressTarget target,
        CancellationToken cancellationToken = default
    );

    /// <summary>AdvertiseByoipCidr of <paramref name="cidr"/>, as the cutover will call it.</summary>
    Task<DryRunResult> DryRunAdvertiseAsync(string account, string cidr, CancellationToken cancellationToken = default);
}
