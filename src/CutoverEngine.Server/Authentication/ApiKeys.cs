namespace CutoverEngine.Server.Authentication;

/// <summary>One API key (section "Serve:ApiKeys", a list). Role operator may change waves; auditor reads
/// only.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who the key belongs to; the journal records callers as api:NAME.</summary>
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>operator or auditor.</summary>
    public string Role { get; set; } = "";
}

public static class ApiRoles
{
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    /// <summary>Checks the configured keys; serve refuses to start with none (no anonymous access) or with a bad
    /// entry.</summary>
    public static IReadOnlyList<ApiKeyEntry> Validate(IReadOnlyList<ApiKeyEntry> keys)
    {
        if (keys.Count == 0)
            throw new InvalidOperationException(
                "Serve:ApiKeys is empty: configure at least one key (Name, Key, Role operator|auditor); the API has no anonymous access."
            );
        for (var i = 0; i < keys.Count; i++)
        {
            var k = keys[i];
            if (string.IsNullOrWhiteSpace(k.Name))
                throw new InvalidOperationException($"Serve:ApiKeys:{i}: Name is empty.");
            if (k.Key.Length < 16)
                throw new InvalidOperationException(
                    $"Serve:ApiKeys:{i} ({k.Name}): Key must be at least 16 characters."
                );
            if (k.Role is not (Operator or Auditor))
                throw new InvalidOperationException(
                    $"Serve:ApiKeys:{i} ({k.Name}): Role '{k.Role}' is neither operator nor auditor."
                );
        }
        if (keys.GroupBy(k => k.Key).Any(g => g.Count() > 1))
            throw new InvalidOperationException("Serve:ApiKeys: two entries share a key.");
        return keys;
    }
}
