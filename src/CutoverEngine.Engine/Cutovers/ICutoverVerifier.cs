namespace CutoverEngine.Engine.Cutovers;

/// <summary>The verification a cutover runs before it resumes sending (implemented over the Sending project's
/// checks).</summary>
public interface ICutoverVerifier
{
    Task<IReadOnlyList<CheckRecord>> VerifyAsync(
        CutoverSubject subject,
        IReadOnlyList<string> checks,
        CancellationToken ct
    );
}
