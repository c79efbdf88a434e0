using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace CutoverEngine.Aws.Configuration;

/// <summary>Finds the credentials to sign an account's requests with.</summary>
public interface IAwsCredentialsSource
{
    /// <summary>The credentials for <paramref name="account"/>; the SDK refreshes expiring ones itself.</summary>
    AWSCredentials GetCredentials(AwsAccountOptions account);
}
