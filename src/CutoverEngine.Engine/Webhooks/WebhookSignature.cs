using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// The signature every delivery carries, in Stripe's scheme: header <c>X-Cutover-Signature: t=UNIX,v1=HEX</c>, where
/// HEX is lower-case HMAC-SHA256, keyed with the receiver's secret, of the ASCII decimal timestamp, a full stop and
/// the body's exact bytes. The timestamp is that of the attempt, so a receiver can refuse replays older than a
/// tolerance; each retry is signed afresh.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Cutover-Signature";

    /// <summary>A receiver's default tolerance for the timestamp (Stripe's).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>HMAC-SHA256(secret, "<paramref name="timestamp"/>." + body), lower-case hex.</summary>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>The header's value for an attempt made at <paramref name="at"/>.</summary>
    public static string HeaderValue(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var timestamp = at.ToUnixTimeSeconds();
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, timestamp, body)}";
    }

    /// <summary>
    /// What a receiver does: true when <paramref name="header"/> has a <c>v1</c> signature of <paramref name="body"/>
    /// under <paramref name="secret"/> (compared in constant time) and its timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(
        string? header,
        string secret,
        ReadOnlySpan<byte> body,
        DateTimeOffset now,
        TimeSpan tolerance
    )
    {
        if (string.IsNullOrEmpty(header))
            return false;
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
                continue;
            if (
                pair[0].Trim() == "t"
                && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            )
                timestamp = t;
            else if (pair[0].Trim() == "v1")
                signatures.Add(pair[1].Trim());
        }
        if (timestamp is not { } ts || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, ts, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
