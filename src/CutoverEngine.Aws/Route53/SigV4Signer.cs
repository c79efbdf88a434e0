using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace CutoverEngine.Aws.Route53;

/// <summary>
/// Signs hand-built HTTP requests with AWS Signature Version 4 using AWSSDK.Core's own signer, so the engine's
/// Route 53 requests are signed exactly as the SDK signs its clients' requests.
/// </summary>
public static class SigV4Signer
{
    /// <summary>
    /// Adds <c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c>, <c>Authorization</c> (and <c>X-Amz-Security-Token</c> for
    /// temporary credentials) to <paramref name="message"/>. The path must already be URI-encoded; query parameters are
    /// passed unencoded in <paramref name="query"/> and must be the ones in the message's URI.
    /// </summary>
    public static void Sign(
        HttpRequestMessage message,
        byte[] body,
        IReadOnlyList<KeyValuePair<string, string>> query,
        string service,
        string region,
        ImmutableCredentials credentials,
        DateTime signedAtUtc
    )
    {
        var uri = message.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(message));
        var request = new DefaultRequest(new SignableRequest(), service)
        {
            HttpMethod = message.Method.Method,
            Endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority)),
            ResourcePath = uri.AbsolutePath,
            Content = body,
            AuthenticationRegion = region,
            UseQueryString = query.Count > 0,
        };
        foreach (var (key, value) in query)
            request.Parameters[key] = value;
        if (credentials.UseToken)
            request.Headers[HeaderKeys.XAmzSecurityTokenHeader] = credentials.Token;

        var config = new SigningConfig(service, region);
        var result = new AWS4Signer().SignRequest(
            request,
            config,
            metrics: null,
            credentials.AccessKey,
            credentials.SecretKey,
            signedAtUtc
        );
        request.Headers[HeaderKeys.AuthorizationHeader] = result.ForAuthorizationHeader;

        foreach (var (name, value) in request.Headers)
        {
            // HttpClient writes Host from the URI, identical to what was signed.
            if (name.Equals(HeaderKeys.HostHeader, StringComparison.OrdinalIgnoreCase))
                continue;
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private sealed class SignableRequest : AmazonWebServiceRequest;

    /// <summary>The little the signer reads from a client configuration: service name and signing region.</summary>
    private sealed class SigningConfig : ClientConfig
    {
        public SigningConfig(string service, string region)
            : base(
                new DefaultConfigurationProvider([
                    new DefaultConfiguration
                    {
                        Name = DefaultConfigurationMode.Standard,
                        RetryMode = RequestRetryMode.Standard,
                    },
                ])
            )
        {
            AuthenticationServiceName = service;
            AuthenticationRegion = region;
            RegionEndpointServiceName = service;
        }

        public override string ServiceVersion => "2013-04-01";
        public override string UserAgent => "CutoverEngine";
        public override string RegionEndpointServiceName { get; }

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
            throw new NotSupportedException("Endpoints are chosen by the gateway, not by the SDK.");
    }
}
