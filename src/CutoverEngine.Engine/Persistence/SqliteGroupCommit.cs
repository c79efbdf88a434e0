using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// The one writer of a database file inside this process, with group commit. Everything in the engine that writes the
/// file (WorkflowCore's store, the journal) hands its write to it as a piece of work; whichever caller holds the file's
/// gate runs every piece queued so far in one transaction, each inside its own savepoint, and commits once: one
/// fsync for many writes. Each caller's task completes only after the commit, so "my write returned" still means
/// "my write is durable" (as durable as <c>synchronous</c> makes it). A piece that throws is rolled back to its
/// savepoint and only its caller hears the error; the others commit. A piece whose caller cancelled before it was
/// taken into a batch is dropped.
/// Why: SQLite allows one writer per file. Two writers of one process that do not queue in memory meet on SQLite's
/// lock and the loser sleeps in the busy handler (1, 2, 5 ... 100 ms), and every commit with <c>synchronous=FULL</c>
/// costs an fsync under the lock: at a wave's write rate (a workflow persist and two or more journal entries per step
/// per cutover) that was most of the engine's step-to-step overhead. The busy timeout only matters when another
/// process writes the same file (the CLI beside `cutover serve`).
/// </summary>
public sealed class SqliteGroupCommit
{
    static readonly ConcurrentDictionary<string, SqliteGroupCommit> Files = new(StringComparer.Ordinal);

    /// <summary>Pieces run in one transaction at most: bounds how long one commit holds the file.</summary>
    public const int MaxBatch = 256;

    readonly ConcurrentQueue<Work> _queue = new();
    readonly string _connectionString;
    volatile string _pragmas = Pragmas(SqliteSynchronousMode.Full, SqliteStoreOptions.DefaultBusyTimeout);
    long _transactions,
        _writes;

    SqliteGroupCommit(string fullPath)
    {
        DatabasePath = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The writer of the file at <paramref name="databasePath"/> (made absolute; case-insensitive on
    /// Windows).</summary>
    public static SqliteGroupCommit For(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        return Files.GetOrAdd(
            OperatingSystem.IsWindows() ? full.ToUpperInvariant() : full,
            _ => new SqliteGroupCommit(full)
        );
    }

    public string DatabasePath { get; }

    /// <summary>Held while a batch runs; schema migration takes it too. Tests take it to queue writes
    /// deterministically.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Transactions committed on this file by this process.</summary>
    public long TransactionsCommitted => Interlocked.Read(ref _transactions);

    /// <summary>Pieces of work committed: writes / transactions is the group commit's batch size.</summary>
    public long WritesCommitted => Interlocked.Read(ref _writes);

    /// <summary>
    /// Sets the durability of every commit on the file (journal included: they share commits). The workflow store calls
    /// this with its configured mode; without it, FULL.
    /// </summary>
    public void Configure(SqliteSynchronousMode synchronous, TimeSpan busyTimeout) =>
        _pragmas = Pragmas(synchronous, busyTimeout);

    static string Pragmas(SqliteSynchronousMode synchronous, TimeSpan busyTimeout) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")};"
        );

    /// <summary>A connection with the file's pragmas (for schema work done under <see cref="Gate"/>).</summary>
    public SqliteConnection OpenConnection() => Open(_connectionString, _pragmas);

    /// <summary>Opens a connection and applies <paramref name="pragmas"/> (per-connection settings in
    /// SQLite).</summary>
    internal static SqliteConnection Open(string connectionString, string pragmas)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = pragmas;
            cmd.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction shared with other queued writes; returns after the
    /// commit.</summary>
    public async Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Work<T>(work, cancellationToken);
        _queue.Enqueue(item);
        while (!item.IsFinished)
        {
            try
            {
                await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (item.TryCancel())
                    throw;
                break; // already taken into a batch: that batch decides its outcome
            }
            try
            {
                if (!item.IsFinished)
                    await RunQueuedAsync().ConfigureAwait(false);
            }
            finally
            {
                Gate.Release();
            }
        }
        return await item.Result.ConfigureAwait(false);
    }

    async Task RunQueuedAsync()
    {
        var batch = new List<Work>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            if (next.TryClaim())
                batch.Add(next);
        if (batch.Count == 0)
            return;

        var done = new List<Work>(batch.Count);
        try
        {
            await using var connection = OpenConnection();
            await using var tx = connection.BeginTransaction(deferred: false);
            foreach (var item in batch)
            {
                tx.Save("piece");
                try
                {
                    await item.RunAsync(connection, tx).ConfigureAwait(false);
                    tx.Release("piece");
                    done.Add(item);
                }
                catch (Exception error)
                {
                    // Undo this piece only; if SQLite cannot (the transaction itself is gone), the outer catch fails
                    // the rest.
                    tx.Rollback("piece");
                    tx.Release("piece");
                    item.Fail(error);
                }
            }
            tx.Commit();
        }
        catch (Exception error)
        {
            foreach (var item in batch)
                item.Fail(error); // no-op for the pieces that already failed on their own
            return;
        }
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _writes, done.Count);
        foreach (var item in done)
            item.Succeed();
    }

    /// <summary>A queued piece: queued, then claimed by a batch or cancelled by its caller, never both.</summary>
    abstract class Work(CancellationToken cancellationToken)
    {
        const int Queued = 0,
            Claimed = 1,
            Cancelled = 2;
        int _state;

        protected CancellationToken CancellationToken { get; } = cancellationToken;
        public abstract bool IsFinished { get; }
        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction tx);
        public abstract void Succeed();
        public abstract void Fail(Exception error);
        protected abstract void Cancel();

        public bool TryClaim()
        {
            if (CancellationToken.IsCancellationRequested)
            {
                TryCancel();
                return false;
            }
            return Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;
        }

        public bool TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) != Queued)
                return false;
            Cancel();
            return true;
        }
    }

    sealed class Work<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
        : Work(cancellationToken)
    {
        readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T _value = default!;

        public Task<T> Result => _outcome.Task;
        public override bool IsFinished => _outcome.Task.IsCompleted;

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction tx) =>
            _value = await work(connection, tx).ConfigureAwait(false);

        public override void Succeed() => _outcome.TrySetResult(_value);

        public override void Fail(Exception error) => _outcome.TrySetException(error);

        protected override void Cancel() => _outcome.TrySetCanceled(CancellationToken);
    }
}
