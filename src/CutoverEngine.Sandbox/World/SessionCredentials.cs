using System.Security.Cryptography;
using System.Text;

namespace CutoverEngine.Sandbox.World;

/// <summary>Temporary credentials STS handed out for one role session.</summary>
public sealed record SessionCredentials(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    RoleState Role,
    string SessionName,
    string IssuedTo
)
{
    public string AssumedRoleArn => $"arn:aws:sts::{Role.Account.Id}:assumed-role/{Role.Name}/{SessionName}";
    public string AssumedRoleId => $"{Role.RoleId}:{SessionName}";

    public SandboxPrincipal Principal =>
        new(Role.Account, AssumedRoleArn, AssumedRoleId, AccessKeyId, SecretAccessKey, Role.AllowedActions, Role);

    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Upper-case letters and digits as AWS key ids have, from a cryptographic random source.</summary>
    public static string RandomKeyChars(int length) =>
        string.Create(
            length,
            0,
            (span, _) =>
            {
                for (var i = 0; i < span.Length; i++)
                    span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        );

    /// <summary>The same characters for the same input: ids that stay put across runs (role ids, user ids).</summary>
    public static string Stable(string input, int length)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        return string.Create(
            length,
            hash,
            (span, h) =>
            {
                for (var i = 0; i < span.Length; i++)
                    span[i] = Alphabet[h[i % h.Length] % Alphabet.Length];
            }
        );
    }
}
