using CutoverEngine.Aws.Resilience;

namespace CutoverEngine.Aws;

/// <summary>The AWS service a call goes to.</summary>
public enum AwsService
{
    Route53,
    Ec2,
}

/// <summary>
/// One AWS API action the engine calls: the name on the wire, the IAM action that permits it and the quota it draws on.
/// Every gateway call names one of <see cref="AwsOperations"/>; infra/aws/iam-policy.json lists exactly their IAM
/// actions.
/// </summary>
public sealed record AwsOperation(AwsService Service, string Name, AwsBudget Budget)
{
    /// <summary>The IAM action, e.g. <c>route53:ChangeResourceRecordSets</c>.</summary>
    public string IamAction => (Service == AwsService.Route53 ? "route53:" : "ec2:") + Name;

    public override string ToString() => IamAction;
}

/// <summary>The AWS actions the engine calls, and no others.</summary>
public static class AwsOperations
{
    public static readonly AwsOperation ChangeResourceRecordSets = new(
        AwsService.Route53,
        "ChangeResourceRecordSets",
        AwsBudget.Route53
    );
    public static readonly AwsOperation GetChange = new(AwsService.Route53, "GetChange", AwsBudget.Route53);
    public static readonly AwsOperation ListResourceRecordSets = new(
        AwsService.Route53,
        "ListResourceRecordSets",
        AwsBudget.Route53
    );

    public static readonly AwsOperation DescribeAddresses = new(
        AwsService.Ec2,
        "DescribeAddresses",
        AwsBudget.Ec2Describe
    );
    public static readonly AwsOperation AssociateAddress = new(
        AwsService.Ec2,
        "AssociateAddress",
        AwsBudget.Ec2Mutating
    );
    public static readonly AwsOperation DisassociateAddress = new(
        AwsService.Ec2,
        "DisassociateAddress",
        AwsBudget.Ec2Mutating
    );
    public static readonly AwsOperation DescribeAddressesAttribute = new(
        AwsService.Ec2,
        "DescribeAddressesAttribute",
        AwsBudget.Ec2Describe
    );
    public static readonly AwsOperation ModifyAddressAttribute = new(
        AwsService.Ec2,
        "ModifyAddressAttribute",
        AwsBudget.Ec2Mutating
    );
    public static readonly AwsOperation DescribeByoipCidrs = new(
        AwsService.Ec2,
        "DescribeByoipCidrs",
        AwsBudget.Ec2Describe
    );
    public static readonly AwsOperation AdvertiseByoipCidr = new(
        AwsService.Ec2,
        "AdvertiseByoipCidr",
        AwsBudget.Ec2Byoip
    );
    public static readonly AwsOperation WithdrawByoipCidr = new(
        AwsService.Ec2,
        "WithdrawByoipCidr",
        AwsBudget.Ec2Byoip
    );

    /// <summary>All of the above.</summary>
    public static IReadOnlyList<AwsOperation> All { get; } =
    [
        ChangeResourceRecordSets,
        GetChange,
        ListResourceRecordSets,
        DescribeAddresses,
        AssociateAddress,
        DisassociateAddress,
        DescribeAddressesAttribute,
        ModifyAddressAttribute,
        DescribeByoipCidrs,
        AdvertiseByoipCidr,
        WithdrawByoipCidr,
    ];
}
