using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Aws.Configuration;

/// <summary>
/// Base credentials: static keys when configured (the sandbox), else the named profile, else the SDK's default chain
/// (environment, shared profile, web identity, container and instance role). With a RoleArn, the account is reached
/// through that role, assumed with the base credentials (<see cref="AssumedRoleCredentials"/>). Resolved once per
/// account.
/// </summary>
public sealed class AwsCredentialsSource : IAwsCredentialsSource, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AWSCredentials>> _byAccount = new(StringComparer.Ordinal);
    private readonly AwsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    /// <summary>Real AWS endpoints and the system clock.</summary>
    public AwsCredentialsSource()
        : this(Microsoft.Extensions.Options.Options.Create(new AwsOptions()), TimeProvider.System) { }

    public AwsCredentialsSource(
        Microsoft.Extensions.Options.IOptions<AwsOptions> options,
        TimeProvider time,
        ILoggerFactory? loggers = null
    )
    {
        _options = options.Value;
        _time = time;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    public AWSCredentials GetCredentials(AwsAccountOptions account) =>
        _byAccount.GetOrAdd(account.Id, _ => new Lazy<AWSCredentials>(() => Resolve(account))).Value;

    private AWSCredentials Resolve(AwsAccountOptions account)
    {
        var baseCredentials = ResolveBase(account);
        if (string.IsNullOrEmpty(account.RoleArn))
            return baseCredentials;
        return new AssumedRoleCredentials(
            account,
            () =>
                new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(
                    baseCredentials,
                    Identity.StsClientConfig.For(_options, account)
                ),
            _time,
            _loggers.CreateLogger<AssumedRoleCredentials>()
        );
    }

    public void Dispose()
    {
        foreach (
            var credentials in _byAccount.Values.Where(c => c.IsValueCreated).Select(c => c.Value).OfType<IDisposable>()
        )
            credentials.Dispose();
    }

    /// <summary>Whether a named profile is in the shared credentials or config file.</summary>
    public static bool ProfileExists(string profile) => new CredentialProfileStoreChain().TryGetProfile(profile, out _);

    private static AWSCredentials ResolveBase(AwsAccountOptions account)
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
                $"AWS profile '{account.Profile}' configured for account {account.Id} was not found in the shared credentials or config file."
            );
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(clientConfig: null!);
        }
        catch (AmazonClientException ex)
        {
            throw new AwsConfigurationException(
                $"No AWS credentials for account {account.Id}: no static keys or profile configured, and the SDK's default chain "
                    + $"(environment, profile, instance role) found none: {ex.Message}"
            );
        }
    }
}
