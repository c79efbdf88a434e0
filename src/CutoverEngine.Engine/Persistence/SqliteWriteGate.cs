using System.Collections.Concurrent;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// One in-process write gate per database file, shared by everything in the engine that writes it (WorkflowCore's
/// store, the journal). SQLite allows one writer per file; two writers of one process that do not queue in memory
/// meet on SQLite's lock instead, and the loser sleeps in SQLite's busy handler (1, 2, 5, 10 ... 100 ms steps), which
/// at a wave's write rate was most of the engine's step-to-step overhead.
/// </summary>
public static class SqliteWriteGate
{
    static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate of the file at <paramref name="databasePath"/> (made absolute; case-insensitive on Windows).</summary>
    public static SemaphoreSlim For(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        return Gates.GetOrAdd(OperatingSystem.IsWindows() ? full.ToUpperInvariant() : full, _ => new SemaphoreSlim(1, 1));
    }
}
