namespace CutoverEngine.Server.Authentication;

public static class ApiRoles
{
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    /// <summary>Reads, and approves or revokes approvals of waves; changes nothing else. For the second pair of eyes
    /// (a change manager) who must not be able to start what they approve. Operators may approve too (others'
    /// waves); auditors never.</summary>
    public const string Approver = "approver";

    /// <summary>Every role that may read the API and the pages.</summary>
    public static readonly string[] Readers = [Operator, Approver, Auditor];

    /// <summary>Checks the configured keys; serve refuses to start with none (no anonymous access) or with a bad
    /// entry.</summary>
    public static IReadOnlyList<ApiKeyEntry> Validate(IReadOnlyList<ApiKeyEntry> keys)
    {
        if (keys.Count == 0)
            throw new InvalidOperationException(
                "Serve:ApiKeys is empty: configure at least one key (Name, Key or Hash, Role operator|approver|auditor); the API has no anonymous access."
            );
        for (var i = 0; i < keys.Count; i++)
        {
            var k = keys[i];
            if (string.IsNullOrWhiteSpace(k.Name))
                throw new InvalidOperationException($"Serve:ApiKeys:{i}: Name is empty.");
            if (k.Key.Length > 0 && k.Hash.Length > 0)
                throw new InvalidOperationException($"Serve:ApiKeys:{i} ({k.Name}): give Key or Hash, not both.");
            if (k.Hash.Length > 0)
            {
                if (!IsSha256(k.Hash))
                    throw new InvalidOperationException(
                        $"Serve:ApiKeys:{i} ({k.Name}): Hash must be sha256: followed by 64 hex digits."
                    );
            }
            else if (k.Key.Length < 16)
                throw new InvalidOperationException(
                    $"Serve:ApiKeys:{i} ({k.Name}): Key must be at least 16 characters (or give Hash: sha256:HEX)."
                );
            if (k.Role is not (Operator or Approver or Auditor))
                throw new InvalidOperationException(
                    $"Serve:ApiKeys:{i} ({k.Name}): Role '{k.Role}' is not one of operator, approver, auditor."
                );
        }
        if (keys.GroupBy(k => Convert.ToHexString(k.KeyHash())).Any(g => g.Count() > 1))
            throw new InvalidOperationException("Serve:ApiKeys: two entries share a key.");
        return keys;
    }

    static bool IsSha256(string hash) =>
        hash.StartsWith(ApiKeyEntry.Sha256Prefix, StringComparison.OrdinalIgnoreCase)
        && hash.Length == ApiKeyEntry.Sha256Prefix.Length + 64
        && hash[ApiKeyEntry.Sha256Prefix.Length..].All(Uri.IsHexDigit);
}
