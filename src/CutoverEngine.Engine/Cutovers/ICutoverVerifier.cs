namespace CutoverEngine.Engine.Cutovers;

/// <summary>The verification a cutover runs before it resumes sending (implemented over the Sending project's
/// checks).</summary>
public interface ICutoverVerifier
{
    /// <param name="moved">One environment the workflow moves: its subject, and which side it moves to (<see
    /// cref="CutoverData.AddressAfterMove"/>).</param>
    Task<IReadOnlyList<CheckRecord>> VerifyAsync(CutoverData moved, IReadOnlyList<string> checks, CancellationToken ct);
}
