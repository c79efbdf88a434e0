namespace CutoverEngine.Aws.Configuration;

/// <summary>One AWS account the engine acts in.</summary>
public sealed class AwsAccountOptions
{
    /// <summary>The 12-digit AWS account id; inventories and gateways name accounts by it. Required.</summary>
    public string Id { get; set; } = "";

    /// <summary>EC2 region of this account's sending infrastructure. Default: <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Named profile from ~/.aws/credentials or ~/.aws/config. Default: null (the SDK's default
    /// chain).</summary>
    public string? Profile { get; set; }

    /// <summary>Static access key, meant for the sandbox; production uses the default chain or a profile. Default:
    /// null.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Secret for <see cref="AccessKeyId"/>. Default: null.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Session token for temporary static keys. Default: null.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// Role to assume in this account (<c>arn:aws:iam::ACCOUNT:role/NAME</c>) with the base credentials above (static
    /// keys, <see cref="Profile"/> or the default chain); its temporary keys sign every request and are refreshed
    /// before
    /// they expire. Default: null (the base credentials act in the account themselves).
    /// </summary>
    public string? RoleArn { get; set; }

    /// <summary>External id the role's trust policy asks for. Default: null (none sent).</summary>
    public string? ExternalId { get; set; }

    /// <summary>
    /// Role session name, seen in CloudTrail. Default: null, which names the engine node and the wave whose call first
    /// needed the keys (<c>cutover-HOST-WAVE</c>, cut to the 64 characters STS allows).
    /// </summary>
    public string? SessionName { get; set; }

    /// <summary>Lifetime asked of STS for the role's keys, 900 to 43200 s (at most the role's maximum). Default:
    /// 3600.</summary>
    public int DurationSeconds { get; set; } = DefaultDurationSeconds;

    /// <summary>The default of <see cref="DurationSeconds"/>, AWS's own default for AssumeRole.</summary>
    public const int DefaultDurationSeconds = 3600;

    internal IEnumerable<string> ValidateRole(string where)
    {
        if (RoleArn is null)
        {
            if (ExternalId is not null)
                yield return $"{where}:ExternalId is set but RoleArn is not (an external id goes with a role)";
            if (SessionName is not null)
                yield return $"{where}:SessionName is set but RoleArn is not";
            yield break;
        }
        var parts = RoleArn.Split(':', 6);
        if (
            parts.Length != 6
            || parts[0] != "arn"
            || !parts[1].StartsWith("aws", StringComparison.Ordinal)
            || parts[2] != "iam"
            || parts[4].Length != 12
            || !parts[4].All(char.IsAsciiDigit)
            || !parts[5].StartsWith("role/", StringComparison.Ordinal)
        )
            yield return $"{where}:RoleArn '{RoleArn}' is not a role ARN (arn:aws:iam::123456789012:role/NAME)";
        if (DurationSeconds is < 900 or > 43_200)
            yield return $"{where}:DurationSeconds {DurationSeconds} is outside 900..43200 (what STS accepts)";
        if (SessionName is not null && !RoleSessionName.IsValid(SessionName))
            yield return $"{where}:SessionName '{SessionName}' is not 2 to 64 of letters, digits and +=,.@_-";
        if (ExternalId is { Length: < 2 or > 1224 })
            yield return $"{where}:ExternalId must be 2 to 1224 characters";
    }
}
