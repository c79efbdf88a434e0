using System.Collections.Concurrent;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using CutoverEngine.Aws.Configuration;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Ec2;

/// <summary>
/// One AmazonEC2Client per account, with the SDK's retries off (error and stale-connection retries) (Polly owns
/// retries, so attempts are counted, logged and
/// bounded in one place), the endpoint override applied and HTTP from IHttpClientFactory (named <see
/// cref="HttpClientName"/>).
/// </summary>
public sealed class Ec2ClientFactory(
    IOptions<AwsOptions> options,
    IAwsCredentialsSource credentials,
    IHttpClientFactory httpClients
) : IEc2ClientFactory, IDisposable
{
    public const string HttpClientName = "CutoverEngine.Aws.Ec2";

    private readonly ConcurrentDictionary<string, Lazy<AmazonEC2Client>> _clients = new(StringComparer.Ordinal);

    public IAmazonEC2 For(string account) =>
        _clients.GetOrAdd(account, id => new Lazy<AmazonEC2Client>(() => Create(options.Value.GetAccount(id)))).Value;

    /// <summary>The SDK configuration used for an account; public so tests can check it.</summary>
    public AmazonEC2Config ConfigFor(AwsAccountOptions account)
    {
        var config = new AmazonEC2Config
        {
            MaxErrorRetry = 0,
            // The SDK also replays a request whose pooled connection broke, outside MaxErrorRetry: off too.
            MaxStaleConnectionRetries = 0,
            ThrottleRetries = false,
            // Endpoints come from Aws:ServiceUrl / Aws:Ec2ServiceUrl only, the same place Route 53's does; the SDK
            // would otherwise also obey AWS_ENDPOINT_URL* and point EC2 somewhere Route 53 is not.
            IgnoreConfiguredEndpointUrls = true,
            AuthenticationRegion = account.Region,
            HttpClientFactory = new FromHttpClientFactory(httpClients),
        };
        if (options.Value.Ec2EndpointOverride is { } url)
            config.ServiceURL = url;
        else
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(account.Region);
        return config;
    }

    private AmazonEC2Client Create(AwsAccountOptions account) =>
        new(credentials.GetCredentials(account), ConfigFor(account));

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
            client.Value.Dispose();
    }

    /// <summary>Lets the SDK take its HttpClient from IHttpClientFactory, which pools and recycles handlers.</summary>
    private sealed class FromHttpClientFactory(IHttpClientFactory factory) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => factory.CreateClient(HttpClientName);

        // IHttpClientFactory already pools handlers; the SDK's own cache would pin one handler forever.
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
