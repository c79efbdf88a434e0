using CutoverEngine.Aws.Identity;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>sts:GetCallerIdentity per account (cached per credentials by <see cref="IAwsCallerIdentity"/>).</summary>
public sealed class AccountIdentityCheck(IAwsCallerIdentity identity, ICutoverJournal journal) : IAccountIdentityCheck
{
    public async Task<string?> MismatchAsync(CutoverContext run, CancellationToken ct)
    {
        var expected = run.Subject.AccountId;
        var caller = await identity.GetAsync(expected, ct);
        if (caller.Account == expected)
            return null;
        var error = Describe(expected, caller);
        await journal.AppendAsync(
            run.Event(new IdentityMismatchPayload(expected, caller.Account, caller.Arn, error)),
            ct
        );
        return error;
    }

    /// <summary>The error naming both accounts; the same words in a cutover, `plan` and `doctor`.</summary>
    public static string Describe(string expected, AwsCallerIdentity caller) =>
        $"identity mismatch: the credentials configured for AWS account {expected} act in account {caller.Account} "
        + $"({caller.Arn}); nothing is changed in either account until Aws:Accounts for {expected} is corrected";
}
