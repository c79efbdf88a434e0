using Amazon.EC2;
using Amazon.EC2.Model;

namespace CutoverEngine.Cli.Doctor;

/// <summary>
/// Asks EC2 whether an action would be allowed without doing it (DryRun): DryRunOperation means allowed,
/// UnauthorizedOperation means the policy refuses it. Ids come from the inventory where it has them.
/// </summary>
public static class Ec2DryRun
{
    /// <summary>The EC2 actions of infra/aws/iam-policy.json that DryRun can ask about, each as one request.</summary>
    public static Func<IAmazonEC2, Task>? For(string action, string allocationId, string instanceId, string cidr) =>
        action switch
        {
            "DescribeAddresses" => c => c.DescribeAddressesAsync(new DescribeAddressesRequest { DryRun = true }),
            "DescribeAddressesAttribute" => c =>
                c.DescribeAddressesAttributeAsync(
                    new DescribeAddressesAttributeRequest
                    {
                        DryRun = true,
                        AllocationIds = [allocationId],
                        Attribute = AddressAttributeName.DomainName,
                    }
                ),
            "DescribeByoipCidrs" => c =>
                c.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { DryRun = true, MaxResults = 5 }),
            "AssociateAddress" => c =>
                c.AssociateAddressAsync(
                    new AssociateAddressRequest
                    {
                        DryRun = true,
                        AllocationId = allocationId,
                        InstanceId = instanceId,
                        AllowReassociation = false,
                    }
                ),
            "DisassociateAddress" => c =>
                c.DisassociateAddressAsync(
                    new DisassociateAddressRequest { DryRun = true, AssociationId = "eipassoc-00000000000000000" }
                ),
            "ModifyAddressAttribute" => c =>
                c.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest
                    {
                        DryRun = true,
                        AllocationId = allocationId,
                        DomainName = "doctor.invalid",
                    }
                ),
            "AdvertiseByoipCidr" => c =>
                c.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { DryRun = true, Cidr = cidr }),
            "WithdrawByoipCidr" => c =>
                c.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { DryRun = true, Cidr = cidr }),
            _ => null,
        };

    /// <summary>What the dry run said, as a doctor row.</summary>
    public static async Task<DoctorCheck> AskAsync(
        IAmazonEC2 client,
        string subject,
        string action,
        Func<IAmazonEC2, Task> request
    )
    {
        var check = "allowed: ec2:" + action;
        try
        {
            await request(client);
            return DoctorCheck.Ok(subject, check, "answered without DryRunOperation (allowed)");
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "DryRunOperation")
        {
            return DoctorCheck.Ok(subject, check, "DryRunOperation");
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "UnauthorizedOperation")
        {
            return DoctorCheck.Fail(
                subject,
                check,
                $"UnauthorizedOperation: the role's policy does not allow ec2:{action}"
            );
        }
        catch (Exception e)
        {
            return new DoctorCheck(subject, check, DoctorOutcome.Unknown, $"EC2 could not tell: {e.Message}");
        }
    }
}
