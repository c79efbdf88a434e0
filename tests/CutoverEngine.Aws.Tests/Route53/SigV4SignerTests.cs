using Amazon.Runtime;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Sandbox.Edge;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CutoverEngine.Aws.Tests.Route53;

/// <summary>Requests signed by the SDK's signer verify with an independent SigV4 implementation (the
/// sandbox's).</summary>
public sealed class SigV4SignerTests
{
    private static readonly DateTime SignedAt = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    private static HttpRequest AsReceived(HttpRequestMessage message, byte[] body)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        var uri = message.RequestUri!;
        request.Method = message.Method.Method;
        request.Path = uri.AbsolutePath;
        request.QueryString = new QueryString(uri.Query);
        request.Host = new HostString(uri.Authority);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = uri.PathAndQuery;
        foreach (var (name, values) in message.Headers)
            request.Headers[name] = values.ToArray();
        request.Body = new MemoryStream(body);
        return request;
    }

    [Fact]
    public void Signed_get_with_query_verifies_and_carries_the_route53_scope()
    {
        var message = new HttpRequestMessage(
            HttpMethod.Get,
            "http://127.0.0.1:5443/2013-04-01/hostedzone/Z1/rrset?name=mta1.acme.example.&type=A&maxitems=1"
        );

        SigV4Signer.Sign(
            message,
            [],
            [new("name", "mta1.acme.example."), new("type", "A"), new("maxitems", "1")],
            "route53",
            "us-east-1",
            new ImmutableCredentials("AKIDTEST", "the-secret", null),
            SignedAt
        );

        Assert.Equal("20261126T120000Z", message.Headers.GetValues("X-Amz-Date").Single());
        var auth = SigV4Verifier.Parse(AsReceived(message, []))!;
        Assert.Equal(
            ("AKIDTEST", "20261126", "us-east-1", "route53"),
            (auth.AccessKeyId, auth.Date, auth.Region, auth.Service)
        );
        Assert.True(SigV4Verifier.Verify(AsReceived(message, []), [], auth, "the-secret", out _));
        Assert.False(SigV4Verifier.Verify(AsReceived(message, []), [], auth, "another-secret", out _));
    }

    [Fact]
    public void Signed_post_covers_the_body()
    {
        var body = "<ChangeResourceRecordSetsRequest/>"u8.ToArray();
        var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5443/2013-04-01/hostedzone/Z1/rrset/");

        SigV4Signer.Sign(
            message,
            body,
            [],
            "route53",
            "us-east-1",
            new ImmutableCredentials("AKIDTEST", "the-secret", null),
            SignedAt
        );

        var auth = SigV4Verifier.Parse(AsReceived(message, body))!;
        Assert.True(SigV4Verifier.Verify(AsReceived(message, body), body, auth, "the-secret", out _));
        var tampered = "<ChangeResourceRecordSetsRequest></ChangeResourceRecordSetsRequest>"u8.ToArray();
        Assert.False(SigV4Verifier.Verify(AsReceived(message, tampered), tampered, auth, "the-secret", out _));
    }

    [Fact]
    public void Temporary_credentials_send_and_sign_their_session_token()
    {
        var message = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:5443/2013-04-01/change/C1");

        SigV4Signer.Sign(
            message,
            [],
            [],
            "route53",
            "us-east-1",
            new ImmutableCredentials("ASIATEST", "the-secret", "session-token"),
            SignedAt
        );

        Assert.Equal("session-token", message.Headers.GetValues("X-Amz-Security-Token").Single());
        var auth = SigV4Verifier.Parse(AsReceived(message, []))!;
        Assert.Contains("x-amz-security-token", auth.SignedHeaders);
        Assert.True(SigV4Verifier.Verify(AsReceived(message, []), [], auth, "the-secret", out _));
    }
}
