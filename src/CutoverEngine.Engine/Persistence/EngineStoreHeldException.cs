namespace CutoverEngine.Engine.Persistence;

/// <summary>A second engine on a store another engine holds: refused before anything in the store changed.</summary>
public sealed class EngineStoreHeldException : Exception
{
    /// <summary>
    /// What the command line exits with (`serve`, `run`, `demo`): distinct from 1 (a cutover failed) and 2 (bad
    /// input), so a service manager or script can tell "another engine is running" apart.
    /// </summary>
    public const int ExitCode = 3;

    public EngineStoreHeldException(string databasePath, string lockPath, EngineStoreHolder? holder)
        : base(Describe(databasePath, lockPath, holder))
    {
        DatabasePath = databasePath;
        LockPath = lockPath;
        Holder = holder;
    }

    public string DatabasePath { get; }
    public string LockPath { get; }

    /// <summary>The holder as its lock file names it; null when the body could not be read.</summary>
    public EngineStoreHolder? Holder { get; }

    static string Describe(string databasePath, string lockPath, EngineStoreHolder? holder)
    {
        var who = holder is null
            ? "another engine (its lock file names no holder yet)"
            : $"engine {holder.Node} on {holder.Host}, pid {holder.Pid}, "
                + $"since {holder.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
        return $"{databasePath} is held by {who} (lock {lockPath}). One engine per database file: stop that one, "
            + "or give this one its own Engine:DatabasePath. Nothing was started.";
    }
}
