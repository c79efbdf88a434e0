namespace CutoverEngine.Aws.Identity;

/// <summary>Whose credentials the engine signs an account's requests with, as AWS itself says
/// (sts:GetCallerIdentity).</summary>
public interface IAwsCallerIdentity
{
    /// <summary>
    /// The identity behind the credentials configured for <paramref name="accountId"/>, asked of STS once per set of
    /// credentials (a role's refreshed keys keep their identity); a failed look-up is not remembered.
    /// </summary>
    Task<AwsCallerIdentity> GetAsync(string accountId, CancellationToken ct = default);
}

/// <summary>What GetCallerIdentity answered: the account the credentials act in, the principal's ARN and user
/// id.</summary>
public sealed record AwsCallerIdentity(string Account, string Arn, string UserId);
