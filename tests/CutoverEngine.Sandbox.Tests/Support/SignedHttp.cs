using System.Net.Http.Headers;
using Amazon.EC2;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Support;

/// <summary>Raw Route 53 requests signed by AWSSDK.Core's own SigV4 signer: an independent signer to test the sandbox's
/// verifier with.</summary>
public sealed class SignedHttp(Uri endpoint, TopologyAccount account) : IDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        string? body = null,
        string? secretOverride = null
    )
    {
        var q = pathAndQuery.IndexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var request = new DefaultRequest(new Amazon.EC2.Model.DescribeAddressesRequest(), "Route53")
        {
            HttpMethod = method.Method,
            Endpoint = endpoint,
            ResourcePath = path,
            AuthenticationRegion = "us-east-1",
        };
        if (q >= 0)
            foreach (var pair in pathAndQuery[(q + 1)..].Split('&'))
            {
                var kv = pair.Split('=', 2);
                request.Parameters[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            }
        request.UseQueryString = true;
        if (body is not null)
        {
            request.Content = System.Text.Encoding.UTF8.GetBytes(body);
            request.Headers["Content-Type"] = "text/xml";
        }
        var config = new AmazonEC2Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            AuthenticationServiceName = "route53",
        };
        var result = new AWS4Signer().SignRequest(
            request,
            config,
            null,
            account.AccessKeyId,
            secretOverride ?? account.SecretAccessKey
        );
        var message = new HttpRequestMessage(method, new Uri(endpoint, pathAndQuery));
        if (body is not null)
            message.Content = new ByteArrayContent(request.Content)
            {
                Headers = { ContentType = new MediaTypeHeaderValue("text/xml") },
            };
        foreach (var (k, v) in request.Headers)
        {
            if (
                k.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                || k.Equals("Host", StringComparison.OrdinalIgnoreCase)
            )
                continue;
            message.Headers.TryAddWithoutValidation(k, v);
        }
        message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        return await _http.SendAsync(message);
    }

    public void Dispose() => _http.Dispose();
}
