namespace CutoverEngine.Engine.Persistence;

/// <summary>How hard SQLite works to make each commit survive a power loss.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// WAL is synced only at checkpoints: a process crash loses nothing, but an OS crash or power loss
    /// may roll back the last few commits (the file stays consistent). Faster; not the default.
    /// </summary>
    Normal,

    /// <summary>
    /// WAL is synced on every commit: a committed step stays committed even through a power loss.
    /// The default, because a step whose completion is lost runs again, and an extra fsync per step
    /// costs far less than repeating a cutover action against AWS.
    /// </summary>
    Full,
}

/// <summary>Settings of the SQLite workflow store. Every property has a usable default.</summary>
/// <remarks>Plain settable properties, so the class binds from configuration (e.g. a "WorkflowStore"
/// section).</remarks>
public sealed class SqliteStoreOptions
{
    public const string DefaultDatabasePath = "./data/cutover.db";
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);
    public const SqliteSynchronousMode DefaultSynchronous = SqliteSynchronousMode.Full;

    /// <summary>
    /// Path of the database file; relative paths are resolved against the current directory when the
    /// provider is built. The directory is created if missing. Default <c>./data/cutover.db</c>.
    /// </summary>
    public string DatabasePath { get; set; } = DefaultDatabasePath;

    /// <summary>
    /// How long a statement waits for another process's write lock before failing with SQLITE_BUSY.
    /// Writers inside one process are queued in memory and never wait on this. Default 10 s.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>Default <see cref="SqliteSynchronousMode.Full"/>; see the enum for the trade-off.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = DefaultSynchronous;

    internal SqliteStoreOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
            throw new ArgumentException("SqliteStoreOptions.DatabasePath must name a database file; it is empty.");
        if (DatabasePath == ":memory:" || DatabasePath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"SqliteStoreOptions.DatabasePath '{DatabasePath}' is not a file path; the workflow store must be a durable file."
            );
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(
                nameof(BusyTimeout),
                BusyTimeout,
                "SqliteStoreOptions.BusyTimeout must be between 0 and 1 hour."
            );
        if (!Enum.IsDefined(Synchronous))
            throw new ArgumentOutOfRangeException(
                nameof(Synchronous),
                Synchronous,
                "Unknown SqliteStoreOptions.Synchronous mode."
            );

        return new SqliteStoreOptions
        {
            DatabasePath = Path.GetFullPath(DatabasePath),
            BusyTimeout = BusyTimeout,
            Synchronous = Synchronous,
        };
    }
}
