using Amazon.Runtime;

namespace CutoverEngine.Aws.Configuration;

/// <summary>Finds the credentials to sign an account's requests with.</summary>
public interface IAwsCredentialsSource
{
    /// <summary>The credentials for <paramref name="account"/>; the SDK refreshes expiring ones itself.</summary>
    AWSCredentials GetCredentials(AwsAccountOptions account);
}
