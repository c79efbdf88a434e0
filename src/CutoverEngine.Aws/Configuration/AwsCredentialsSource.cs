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

/// <summary>
/// Static keys when configured (the sandbox), else the named profile, else the SDK's default chain
/// (environment, shared profile, web identity, container and instance role), resolved once per account.
/// </summary>
public sealed class AwsCredentialsSource : IAwsCredentialsSource
{
    private readonly ConcurrentDictionary<string, Lazy<AWSCredentials>> _byAccount = new(StringComparer.Ordinal);

    public AWSCredentials GetCredentials(AwsAccountOptions account) =>
        _byAccount.GetOrAdd(account.Id, _ => new Lazy<AWSCredentials>(() => Resolve(account))).Value;

    private static AWSCredentials Resolve(AwsAccountOptions account)
    {
        if (!string.IsNullOrEmpty(account.AccessKeyId) && !string.IsNullOrEmpty(account.SecretAccessKey))
            return string.IsNullOrEmpty(account.SessionToken)
                ? new BasicAWSCredentials(account.AccessKeyId, account.SecretAccessKey)
                : new SessionAWSCredentials(account.AccessKeyId, account.SecretAccessKey, account.SessionToken);

        if (!string.IsNullOrEmpty(account.Profile))
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(account.Profile, out var fromProfile))
                return fromProfile;
            throw new AwsConfigurationException(
                $"AWS profile '{account.Profile}' configured for account {account.Id} was not found in the shared credentials or config file.");
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(clientConfig: null!);
        }
        catch (AmazonClientException ex)
        {
            throw new AwsConfigurationException(
                $"No AWS credentials for account {account.Id}: no static keys or profile configured, and the SDK's default chain " +
                $"(environment, profile, instance role) found none: {ex.Message}");
        }
    }
}
