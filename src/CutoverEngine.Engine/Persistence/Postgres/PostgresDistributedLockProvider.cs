using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// WorkflowCore's distributed lock on PostgreSQL session advisory locks: the lock on a workflow id is held by one
/// dedicated connection for as long as this node executes that workflow, so one node at a time runs it. A node that
/// dies loses its locks with its connections: at once when its process dies (its OS closes them), within about twice
/// <see cref="PostgresStoreOptions.LockKeepAlive"/> when its host or network does (the server's TCP keep-alive, set on
/// these connections, drops them).
/// <para>
/// Ids are hashed (SHA-256, first 8 bytes) into the one-key advisory lock space; the engine's own locks use the
/// two-key space (<see cref="PostgresAdvisoryLocks"/>), so they never meet. A hash collision between two ids held at
/// the same moment only makes the second wait for the next poll; it can never let two nodes run one workflow.
/// </para>
/// <para>
/// Written on Npgsql rather than taken from DistributedLock.Postgres: the whole of it is one statement to take and one
/// to release, and owning it keeps the keep-alive, the key space and the connection budget (one connection per
/// workflow executing on this node, at most <c>MaxConcurrentWorkflows</c> plus WorkflowCore's few pollers) visible
/// here.
/// </para>
/// </summary>
public sealed class PostgresDistributedLockProvider : IDistributedLockProvider, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);

    public PostgresDistributedLockProvider(
        PostgresStoreOptions options,
        ILogger<PostgresDistributedLockProvider>? logger = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        var validated = options.Validated();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var idle = (int)validated.LockKeepAlive.TotalSeconds;
        var interval = Math.Max(1, idle / 3);
        var builder = new NpgsqlConnectionStringBuilder(validated.ConnectionString)
        {
            // The server's side of the keep-alive: it is the server that must notice a silent node and end its session.
            Options = string.Create(
                CultureInfo.InvariantCulture,
                $"-c tcp_keepalives_idle={idle} -c tcp_keepalives_interval={interval} -c tcp_keepalives_count=3"
            ),
            ApplicationName = "cutover-engine-locks",
        };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Locks this node holds now (for tests and diagnostics).</summary>
    public int HeldCount => _held.Count;

    /// <summary>True when this node took the lock; false at once when another connection (another node, or another
    /// call on this node) holds it.</summary>
    public async Task<bool> AcquireLock(string Id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(Id);
        if (_held.ContainsKey(Id))
            return false;

        var key = KeyOf(Id);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", key);
            var taken = (bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (taken && _held.TryAdd(Id, new Held(connection, key)))
                return true;
            if (taken)
                await UnlockAsync(connection, key).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        return false;
    }

    /// <summary>Releases the lock if this node holds it; otherwise a no-op (WorkflowCore releases in finally
    /// blocks).</summary>
    public async Task ReleaseLock(string Id)
    {
        if (!_held.TryRemove(Id, out var held))
            return;
        try
        {
            await UnlockAsync(held.Connection, held.Key).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and the server ended its session and the lock with it.
            _logger.LogWarning(ex, "Lock on {Id}: its connection was lost before release; the server freed it", Id);
        }
        finally
        {
            await held.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task Start() => Task.CompletedTask;

    /// <summary>Releases every lock this node holds, so other nodes can take its workflows at once.</summary>
    public async Task Stop()
    {
        foreach (var id in _held.Keys.ToList())
            await ReleaseLock(id).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Stop().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The advisory lock key of a workflow id (or any lock name WorkflowCore asks for).</summary>
    internal static long KeyOf(string id) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, sizeof(long)));

    private static async Task UnlockAsync(NpgsqlConnection connection, long key)
    {
        // Explicit: the connection goes back to the pool, and a pooled session must not keep the lock.
        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
        release.Parameters.AddWithValue("key", key);
        await release.ExecuteScalarAsync().ConfigureAwait(false);
    }

    private sealed record Held(NpgsqlConnection Connection, long Key);
}
