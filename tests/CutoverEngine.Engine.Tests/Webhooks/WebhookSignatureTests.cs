using System.Text;
using CutoverEngine.Engine.Webhooks;

namespace CutoverEngine.Engine.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    const string Secret = "whsec_test_secret";
    const long Timestamp = 1767225600; // 2026-01-01T00:00:00Z
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt-1-abc","event":"wave-started"}""");

    [Fact]
    public void The_signature_is_hmac_sha256_of_timestamp_dot_body_as_openssl_computes_it()
    {
        // printf '%s' '1767225600.{"id":"evt-1-abc","event":"wave-started"}' \
        //   | openssl dgst -sha256 -hmac 'whsec_test_secret'
        Assert.Equal(
            "f40bd8b56f6de6fa5679054d879578962fc075acd2f6d64cc9cb7be09216b6ef",
            WebhookSignature.Compute(Secret, Timestamp, Body)
        );
    }

    [Fact]
    public void The_header_names_the_timestamp_and_the_v1_signature()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

        Assert.Equal(
            "t=1767225600,v1=f40bd8b56f6de6fa5679054d879578962fc075acd2f6d64cc9cb7be09216b6ef",
            WebhookSignature.HeaderValue(Secret, at, Body)
        );
    }

    [Fact]
    public void A_receiver_accepts_the_signature_and_refuses_a_changed_body_another_secret_or_a_stale_timestamp()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
        var header = WebhookSignature.HeaderValue(Secret, at, Body);
        var tolerance = WebhookSignature.DefaultTolerance;

        Assert.True(WebhookSignature.Verify(header, Secret, Body, at.AddMinutes(4), tolerance));
        Assert.False(WebhookSignature.Verify(header, Secret, [.. Body, (byte)' '], at, tolerance));
        Assert.False(WebhookSignature.Verify(header, "another secret", Body, at, tolerance));
        Assert.False(WebhookSignature.Verify(header, Secret, Body, at.AddMinutes(6), tolerance));
        Assert.False(WebhookSignature.Verify("v1=" + header.Split("v1=")[1], Secret, Body, at, tolerance));
    }
}
