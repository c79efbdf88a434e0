using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CutoverEngine.Aws.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Aws.Configuration;

/// <summary>
/// The temporary keys of the role an account is reached through, assumed with the account's base credentials and
/// assumed again before they expire. The SDK's AssumeRoleAWSCredentials would do the same, but reaches STS only at
/// the regional endpoint and refreshes a fixed 15 minutes early, which in the sandbox (`--credential-ttl 10`) means on
/// every call; here the endpoint follows Aws:StsServiceUrl and the refresh comes after three quarters of the keys'
/// life (at most 5 minutes before expiry), so a call never goes out with keys about to lapse in flight.
/// </summary>
public sealed class AssumedRoleCredentials : AWSCredentials, IDisposable
{
    /// <summary>Never refresh earlier than this before expiry: AWS keys of an hour are renewed at 55 minutes.</summary>
    public static readonly TimeSpan MaxRefreshLead = TimeSpan.FromMinutes(5);

    private readonly AwsAccountOptions _account;
    private readonly Func<IAmazonSecurityTokenService> _stsFactory;
    private readonly TimeProvider _time;
    private readonly string _node;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IAmazonSecurityTokenService? _sts;

    // Read without the semaphore (a reference swap is atomic); written only while holding it.
    private volatile Keys? _current;

    private sealed record Keys(ImmutableCredentials Credentials, DateTimeOffset Expiration, DateTimeOffset RefreshAt);

    /// <param name="account">The account, with <see cref="AwsAccountOptions.RoleArn"/> set.</param>
    /// <param name="stsFactory">An STS client signing with the base credentials.</param>
    /// <param name="time">The clock deciding when keys are due for refresh.</param>
    /// <param name="log">Where a failed refresh with keys still valid is reported.</param>
    /// <param name="node">The engine node's name for the default session name (default: the machine name).</param>
    public AssumedRoleCredentials(
        AwsAccountOptions account,
        Func<IAmazonSecurityTokenService> stsFactory,
        TimeProvider time,
        ILogger? log = null,
        string? node = null
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(account.RoleArn);
        _account = account;
        _stsFactory = stsFactory;
        _time = time;
        _node = node ?? System.Environment.MachineName;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>Times STS was asked for keys.</summary>
    public int Assumptions { get; private set; }

    /// <summary>When the keys in hand expire (UTC); null before the first call.</summary>
    public override DateTime? Expiration => _current?.Expiration.UtcDateTime;

    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var keys = _current;
        if (keys is not null && _time.GetUtcNow() < keys.RefreshAt)
            return keys.Credentials;
        await _refresh.WaitAsync().ConfigureAwait(false);
        try
        {
            keys = _current;
            var now = _time.GetUtcNow();
            if (keys is not null && now < keys.RefreshAt)
                return keys.Credentials;
            try
            {
                _current = keys = await AssumeAsync(now).ConfigureAwait(false);
            }
            catch (Exception e)
                when (keys is not null && now < keys.Expiration && e is AmazonServiceException or HttpRequestException)
            {
                // Keys still valid: this call goes ahead with them and the next one tries STS again.
                _log.LogWarning(
                    e,
                    "Refreshing the keys of role {RoleArn} for account {Account} failed; they stay valid until {Expiration}",
                    _account.RoleArn,
                    _account.Id,
                    keys.Expiration
                );
            }
            return keys.Credentials;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<Keys> AssumeAsync(DateTimeOffset now)
    {
        _sts ??= _stsFactory();
        var request = new AssumeRoleRequest
        {
            RoleArn = _account.RoleArn,
            RoleSessionName =
                _account.SessionName ?? RoleSessionName.Default(_node, AwsCallScope.Current.GetValueOrDefault("Wave")),
            DurationSeconds = _account.DurationSeconds,
        };
        if (_account.ExternalId is { } externalId)
            request.ExternalId = externalId;
        AssumeRoleResponse response;
        try
        {
            response = await _sts.AssumeRoleAsync(request).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new AwsConfigurationException(
                $"Assuming role {_account.RoleArn} for account {_account.Id} failed: {e.ErrorCode}: {e.Message}"
            );
        }
        Assumptions++;
        var c = response.Credentials;
        var expiration = new DateTimeOffset(DateTime.SpecifyKind(c.Expiration ?? now.UtcDateTime, DateTimeKind.Utc));
        var lifetime = expiration - now;
        var lead = TimeSpan.FromTicks(Math.Min(MaxRefreshLead.Ticks, Math.Max(0, lifetime.Ticks / 4)));
        return new Keys(
            new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
            expiration,
            expiration - lead
        );
    }

    public void Dispose()
    {
        _sts?.Dispose();
        _refresh.Dispose();
    }
}
