using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CutoverEngine.Sandbox.World;

/// <summary>What the edge learns from an access key and session token.</summary>
public enum CredentialCheck
{
    /// <summary>The key is known and, for a session, its token matches and has not expired.</summary>
    Valid,

    /// <summary>No such access key, or a session key presented without its token or with another one.</summary>
    Invalid,

    /// <summary>A session whose expiration has passed.</summary>
    Expired,
}

/// <summary>
/// Every credential the sandbox accepts: each account's long-term key (from the topology) and the temporary keys STS
/// has issued. Sessions are kept after they expire so that a late caller is told ExpiredToken, as AWS says, not that
/// the key never existed.
/// </summary>
public sealed class CredentialBook
{
    readonly IReadOnlyDictionary<string, SandboxPrincipal> _baseKeys;
    readonly ConcurrentDictionary<string, SessionCredentials> _sessions = new(StringComparer.Ordinal);

    public CredentialBook(IEnumerable<AccountState> accounts)
    {
        _baseKeys = accounts
            .Where(a => a.AccessKeyId.Length > 0)
            .ToDictionary(
                a => a.AccessKeyId,
                a => new SandboxPrincipal(
                    a,
                    $"arn:aws:iam::{a.Id}:user/sandbox",
                    "AIDA" + SessionCredentials.Stable(a.AccessKeyId, 17),
                    a.AccessKeyId,
                    a.SecretAccessKey,
                    AllowedActions: null
                ),
                StringComparer.Ordinal
            );
    }

    /// <summary>Sessions issued so far, expired ones included.</summary>
    public int SessionsIssued => _sessions.Count;

    /// <summary>Finds who owns <paramref name="accessKeyId"/>; <paramref name="sessionToken"/> must match for a session
    /// key.</summary>
    public CredentialCheck Check(
        string accessKeyId,
        string? sessionToken,
        DateTimeOffset now,
        out SandboxPrincipal? principal
    )
    {
        principal = null;
        if (_baseKeys.TryGetValue(accessKeyId, out var user))
        {
            principal = user;
            return CredentialCheck.Valid;
        }
        if (
            !_sessions.TryGetValue(accessKeyId, out var session)
            || string.IsNullOrEmpty(sessionToken)
            || !CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(session.SessionToken),
                System.Text.Encoding.UTF8.GetBytes(sessionToken)
            )
        )
            return CredentialCheck.Invalid;
        principal = session.Principal;
        return now >= session.Expiration ? CredentialCheck.Expired : CredentialCheck.Valid;
    }

    /// <summary>New temporary keys for <paramref name="role"/>, valid for <paramref name="lifetime"/> from <paramref
    /// name="now"/>.</summary>
    public SessionCredentials Issue(
        RoleState role,
        string sessionName,
        string issuedTo,
        DateTimeOffset now,
        TimeSpan lifetime
    )
    {
        var session = new SessionCredentials(
            "ASIA" + SessionCredentials.RandomKeyChars(16),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            "IQoJsandbox" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
            // AWS states expirations to the second.
            DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds()),
            role,
            sessionName,
            issuedTo
        );
        _sessions[session.AccessKeyId] = session;
        return session;
    }
}
