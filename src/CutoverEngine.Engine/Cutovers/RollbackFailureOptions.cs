namespace CutoverEngine.Engine.Cutovers;

/// <summary>How a rollback that could not restore waits for an operator (section
/// <c>Cutovers:RollbackFailure</c>; the rules: <see cref="RollbackHold"/>).</summary>
public sealed class RollbackFailureOptions
{
    /// <summary>
    /// How often a held rollback step looks for an operator's retry in the journal, renewing the pause lease when due.
    /// Default 5 s: a retry starts within it, and it stays well inside the lease's renewal share (minutes), so the
    /// pause never lapses while held.
    /// </summary>
    public TimeSpan RetryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Problems with these settings, each naming its key.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (RetryPollInterval < TimeSpan.FromMilliseconds(100) || RetryPollInterval > TimeSpan.FromMinutes(1))
            yield return $"{section}:RetryPollInterval must be between 100 ms and 1 min";
    }
}
