using System.Net;
using System.Security.Cryptography;
using System.Text;
using CutoverEngine.Engine.Telemetry;

namespace CutoverEngine.Server.Authentication;

/// <summary>
/// Counts failed logins and API-key attempts, per client address and per key presented (its SHA-256: a wrong key is
/// never kept), and refuses further attempts of a subject that reached
/// <see cref="FailedAttemptLimitsOptions.FailedAttempts"/> failures within the window, until its oldest failure
/// leaves the window. Shared by the X-Api-Key scheme and the pages' login form, so guessing through one does not
/// reset the other. A refused subject is refused even with a right key: otherwise the limit would still confirm
/// guesses. In memory, per node: a restart forgets the counts. The client address is the connection's; behind a
/// proxy it is the proxy's unless forwarded headers are set up.
/// </summary>
public sealed class FailedAttemptLimiter(FailedAttemptLimitsOptions options, TimeProvider clock)
{
    readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the attempt from <paramref name="address"/> presenting <paramref name="presented"/> must
    /// wait, or null when it may be checked.</summary>
    public TimeSpan? RetryAfter(IPAddress? address, string? presented)
    {
        var now = clock.GetUtcNow();
        lock (_failures)
        {
            TimeSpan? wait = null;
            foreach (var subject in Subjects(address, presented))
            {
                if (!_failures.TryGetValue(subject, out var times))
                    continue;
                Expire(subject, times, now);
                if (times.Count >= options.FailedAttempts)
                {
                    var until = times.Peek() + options.Window - now;
                    wait = wait is { } w && w > until ? w : until;
                }
            }
            return wait;
        }
    }

    /// <summary>An attempt from <paramref name="address"/> presenting <paramref name="presented"/> failed.</summary>
    public void Failed(IPAddress? address, string? presented)
    {
        var now = clock.GetUtcNow();
        lock (_failures)
        {
            foreach (var subject in Subjects(address, presented))
            {
                if (!_failures.TryGetValue(subject, out var times))
                    _failures[subject] = times = new Queue<DateTimeOffset>();
                times.Enqueue(now);
            }
        }
    }

    /// <summary>
    /// One presented key, as the API scheme and the login form both check it: refused unchecked while its address
    /// or the key is limited, else looked up, a miss counted as a failure; every refusal counted in the metrics
    /// under <paramref name="surface"/> (api, login).
    /// </summary>
    public KeyAttempt Attempt(ApiKeyDirectory keys, IPAddress? address, string presented, string surface)
    {
        if (RetryAfter(address, presented) is { } wait)
        {
            CutoverTelemetry.AuthenticationDenied(surface, "limited");
            return new KeyAttempt(null, wait);
        }
        if (keys.Find(presented) is { } key)
            return new KeyAttempt(key, null);
        Failed(address, presented);
        CutoverTelemetry.AuthenticationDenied(surface, "unknown-key");
        return new KeyAttempt(null, null);
    }

    /// <summary>Drops the failures older than the window, and the subject once it has none (so the table holds only
    /// subjects failing now).</summary>
    void Expire(string subject, Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() + options.Window <= now)
            times.Dequeue();
        if (times.Count == 0)
            _failures.Remove(subject);
    }

    static IEnumerable<string> Subjects(IPAddress? address, string? presented)
    {
        yield return "address:" + (address?.ToString() ?? "unknown");
        if (!string.IsNullOrEmpty(presented))
            yield return "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }

    /// <summary>The Retry-After header's value: whole seconds, rounded up, at least 1.</summary>
    public static string RetryAfterHeader(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What one presented key got: its entry, or nothing, with how long to wait when it was limited.</summary>
public readonly record struct KeyAttempt(ApiKeyEntry? Key, TimeSpan? RetryAfter);
