using System.Net;
using System.Security.Cryptography;
using System.Text;
using CutoverEngine.Server.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Server.Tests.Authentication;

/// <summary>Failed logins and API-key attempts counted per client address and per key presented, on a fake
/// clock.</summary>
public sealed class FailedAttemptLimiterTests
{
    static readonly IPAddress Guesser = IPAddress.Parse("192.0.2.7");
    static readonly IPAddress Colleague = IPAddress.Parse("192.0.2.8");
    readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-03T08:00:00Z"));

    FailedAttemptLimiter Limiter(int attempts = 3) =>
        new(new FailedAttemptLimitsOptions { FailedAttempts = attempts, Window = TimeSpan.FromMinutes(5) }, _clock);

    [Fact]
    public void An_address_is_limited_after_the_configured_failures_until_its_oldest_leaves_the_window()
    {
        var limiter = Limiter();
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limiter.RetryAfter(Guesser, $"guess-{i}"));
            limiter.Failed(Guesser, $"guess-{i}");
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        // Failures at 08:00, 08:01, 08:02; now 08:03: the 08:00 one leaves the window at 08:05.
        Assert.Equal(TimeSpan.FromMinutes(2), limiter.RetryAfter(Guesser, "guess-3"));
        Assert.Equal(TimeSpan.FromMinutes(2), limiter.RetryAfter(Guesser, null));
        Assert.Null(limiter.RetryAfter(Colleague, "another"));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(limiter.RetryAfter(Guesser, "guess-3"));
    }

    [Fact]
    public void One_key_guessed_from_many_addresses_is_limited_by_the_key()
    {
        var limiter = Limiter();
        for (var i = 0; i < 3; i++)
            limiter.Failed(IPAddress.Parse($"198.51.100.{i + 1}"), "the-same-guess");
        Assert.NotNull(limiter.RetryAfter(IPAddress.Parse("198.51.100.99"), "the-same-guess"));
        Assert.Null(limiter.RetryAfter(IPAddress.Parse("198.51.100.99"), "a-different-key"));
    }

    [Theory]
    [InlineData(0.4, "1")]
    [InlineData(1, "1")]
    [InlineData(61.2, "62")]
    public void Retry_after_is_whole_seconds_rounded_up(double seconds, string header) =>
        Assert.Equal(header, FailedAttemptLimiter.RetryAfterHeader(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Unusable_limits_are_refused_naming_the_setting()
    {
        var zero = Assert.Throws<InvalidOperationException>(() =>
            new FailedAttemptLimitsOptions { FailedAttempts = 0 }.Validate()
        );
        Assert.Contains("Serve:Limits:FailedAttempts", zero.Message);
        var window = Assert.Throws<InvalidOperationException>(() =>
            new FailedAttemptLimitsOptions { Window = TimeSpan.Zero }.Validate()
        );
        Assert.Contains("Serve:Limits:Window", window.Message);
    }

    static string Sha256(string key) =>
        ApiKeyEntry.Sha256Prefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    [Fact]
    public void A_key_configured_as_its_sha256_is_found_by_the_key_itself()
    {
        var hashed = new ApiKeyEntry
        {
            Name = "hana",
            Hash = Sha256("hashed-key-0123456789"),
            Role = ApiRoles.Operator,
        };
        var plain = new ApiKeyEntry
        {
            Name = "paul",
            Key = "plain-key-0123456789",
            Role = ApiRoles.Auditor,
        };
        var directory = new ApiKeyDirectory(ApiRoles.Validate([hashed, plain]));
        Assert.Same(hashed, directory.Find("hashed-key-0123456789"));
        Assert.Same(plain, directory.Find("plain-key-0123456789"));
        Assert.Null(directory.Find(Sha256("hashed-key-0123456789")));
        Assert.Null(directory.Find("hashed-key-012345678"));
    }

    [Theory]
    [InlineData("sha256:abc", "64 hex digits")]
    [InlineData("md5:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "64 hex digits")]
    public void A_malformed_hash_is_refused_naming_the_entry(string hash, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ApiRoles.Validate([
                new ApiKeyEntry
                {
                    Name = "hana",
                    Hash = hash,
                    Role = ApiRoles.Operator,
                },
            ])
        );
        Assert.Contains("Serve:ApiKeys:0 (hana)", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Key_and_hash_together_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ApiRoles.Validate([
                new ApiKeyEntry
                {
                    Name = "hana",
                    Key = "plain-key-0123456789",
                    Hash = Sha256("plain-key-0123456789"),
                    Role = ApiRoles.Operator,
                },
            ])
        );
        Assert.Contains("not both", e.Message);
    }
}
