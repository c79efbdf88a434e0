using Amazon;
using Amazon.SecurityToken;
using CutoverEngine.Aws.Configuration;

namespace CutoverEngine.Aws.Identity;

/// <summary>How the engine's STS clients are configured: one place for AssumeRole and GetCallerIdentity.</summary>
public static class StsClientConfig
{
    /// <summary>
    /// The account region's STS endpoint (or Aws:StsServiceUrl / Aws:ServiceUrl). STS calls stay on the SDK's own
    /// retries
    /// (2): they run inside another call's attempt, when keys are due, and are not Route 53 or EC2 attempts to count.
    /// </summary>
    public static AmazonSecurityTokenServiceConfig For(AwsOptions options, AwsAccountOptions account)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            IgnoreConfiguredEndpointUrls = true,
            AuthenticationRegion = account.Region,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (options.StsEndpointOverride is { } url)
            config.ServiceURL = url;
        else
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(account.Region);
        return config;
    }
}
