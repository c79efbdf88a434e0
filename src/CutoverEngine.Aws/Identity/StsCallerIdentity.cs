using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CutoverEngine.Aws.Configuration;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Identity;

/// <summary>GetCallerIdentity over AWSSDK.SecurityToken with the account's own credentials, cached per
/// credentials.</summary>
public sealed class StsCallerIdentity(IOptions<AwsOptions> options, IAwsCredentialsSource credentials)
    : IAwsCallerIdentity
{
    // Keyed by the credentials object: the source hands out one per account, so this is "once per credentials".
    private readonly ConcurrentDictionary<AWSCredentials, Lazy<Task<AwsCallerIdentity>>> _known = new(
        ReferenceEqualityComparer.Instance
    );

    public async Task<AwsCallerIdentity> GetAsync(string accountId, CancellationToken ct = default)
    {
        var account = options.Value.GetAccount(accountId);
        var signing = credentials.GetCredentials(account);
        var lookup = _known.GetOrAdd(signing, c => new Lazy<Task<AwsCallerIdentity>>(() => AskAsync(account, c)));
        try
        {
            return await lookup.Value.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _known.TryRemove(new KeyValuePair<AWSCredentials, Lazy<Task<AwsCallerIdentity>>>(signing, lookup));
            throw;
        }
    }

    private async Task<AwsCallerIdentity> AskAsync(AwsAccountOptions account, AWSCredentials signing)
    {
        using var sts = new AmazonSecurityTokenServiceClient(signing, StsClientConfig.For(options.Value, account));
        try
        {
            var answer = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()).ConfigureAwait(false);
            return new AwsCallerIdentity(answer.Account, answer.Arn, answer.UserId);
        }
        catch (AmazonServiceException e)
        {
            throw new AwsConfigurationException(
                $"GetCallerIdentity with the credentials configured for account {account.Id} failed: {e.ErrorCode}: {e.Message}"
            );
        }
    }
}
