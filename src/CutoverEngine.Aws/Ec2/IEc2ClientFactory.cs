using Amazon.EC2;

namespace CutoverEngine.Aws.Ec2;

/// <summary>Gives the EC2 client of an account.</summary>
public interface IEc2ClientFactory
{
    IAmazonEC2 For(string account);
}
