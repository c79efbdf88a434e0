using System.Collections.Concurrent;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using CutoverEngine.Aws.Configuration;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Ec2;

/// <summary>Gives the EC2 client of an account.</summary>
public interface IEc2ClientFactory
{
    IAmazonEC2 For(string account);
}
