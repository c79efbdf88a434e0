using System.Diagnostics;
using System.Text.Json;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// The one engine (WorkflowCore's workers) allowed on a SQLite file. WorkflowCore's locks and queues live in one
/// process, so a second engine on the same file runs every step again; this hold refuses it before it starts.
/// </summary>
/// <remarks>
/// An OS lock rather than a row lease with a heartbeat: the kernel releases it the moment the holder dies, kill -9
/// included, so a restart never waits out a lease, and no clock or missed renewal can let two holders overlap. The
/// lock is <c>&lt;database&gt;.engine-lock</c> held open with <see cref="FileShare.None"/> (flock on Linux and macOS,
/// a sharing lock on Windows; it belongs to the open file, so two holds conflict even within one process). Like
/// SQLite's own locking it is meant for one machine's file system. Its body names the holder (node, host, pid,
/// since) for people (<c>cat</c> does not lock); .NET's own open of a held file fails, so a refused start reads the
/// same body from <c>&lt;database&gt;.engine-holder.json</c>, written beside it. Neither file is ever deleted:
/// deleting the lock file would let a starter that opened the old one and one that created a new one both hold it.
/// </remarks>
public sealed class EngineStoreLock : IDisposable
{
    static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long past the wait a refused start keeps looking for a holder it can name.</summary>
    static readonly TimeSpan NameGrace = TimeSpan.FromSeconds(2);

    readonly string _databasePath;
    readonly string _nodeId;
    readonly TimeProvider _time;
    readonly TimeSpan _wait;
    FileStream? _held;

    /// <param name="databasePath">The store's SQLite file; the lock file sits beside it.</param>
    /// <param name="nodeId">This engine's id, written for whoever is refused.</param>
    /// <param name="time">The clock for the holder's "since".</param>
    /// <param name="wait">How long a start waits for a holder that is shutting down before refusing.</param>
    public EngineStoreLock(string databasePath, string nodeId, TimeProvider time, TimeSpan wait)
    {
        _databasePath = Path.GetFullPath(databasePath);
        _nodeId = nodeId;
        _time = time;
        _wait = wait;
    }

    /// <summary>The lock file beside the database: <c>cutover.db.engine-lock</c> for <c>cutover.db</c>.</summary>
    public string LockPath => _databasePath + ".engine-lock";

    /// <summary>The holder's body where .NET processes can read it: <c>cutover.db.engine-holder.json</c>.</summary>
    public string HolderPath => _databasePath + ".engine-holder.json";

    /// <summary>This engine as the holder, once <see cref="AcquireAsync"/> succeeded.</summary>
    public EngineStoreHolder? Holder { get; private set; }

    /// <summary>
    /// Takes the hold, retrying for the configured wait (a holder in its graceful shutdown lets go within seconds).
    /// Changes nothing in the store either way; idempotent once held.
    /// </summary>
    /// <exception cref="EngineStoreHeldException">Another engine holds the store.</exception>
    public async Task AcquireAsync(CancellationToken ct = default)
    {
        if (_held is not null)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        // Real time: the holder is another process, whatever clock this engine runs on.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // A body naming no live holder is stale or not yet rewritten by a holder starting now: look again.
                var holder = ReadLiveHolder();
                if (waited.Elapsed >= _wait && (holder is not null || waited.Elapsed >= _wait + NameGrace))
                    throw new EngineStoreHeldException(_databasePath, LockPath, holder);
                await Task.Delay(RetryInterval, ct);
                continue;
            }
            Holder = new EngineStoreHolder(_nodeId, Environment.MachineName, Environment.ProcessId, _time.GetUtcNow());
            var body = JsonSerializer.SerializeToUtf8Bytes(Holder, JsonSerializerOptions.Web);
            stream.SetLength(0);
            await stream.WriteAsync(body, ct);
            stream.Flush(flushToDisk: true);
            _held = stream;
            // Written whole, then moved over the old copy: a reader sees the previous holder or this one.
            var staged = $"{HolderPath}.{Environment.ProcessId}.tmp";
            await File.WriteAllBytesAsync(staged, body, ct);
            File.Move(staged, HolderPath, overwrite: true);
            return;
        }
    }

    EngineStoreHolder? ReadLiveHolder()
    {
        EngineStoreHolder? holder;
        try
        {
            var body = File.ReadAllBytes(HolderPath);
            holder = JsonSerializer.Deserialize<EngineStoreHolder>(body, JsonSerializerOptions.Web);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (holder is null)
            return null;
        if (holder.Host != Environment.MachineName)
            return holder; // another machine's pid cannot be checked
        try
        {
            using var process = Process.GetProcessById(holder.Pid);
            return process.HasExited ? null : holder;
        }
        catch (ArgumentException)
        {
            return null; // that holder died; the one holding now has not written its body yet
        }
    }

    /// <summary>Lets go (the OS does it too when the process ends). The bodies stay, naming the last holder.</summary>
    public void Dispose()
    {
        _held?.Dispose();
        _held = null;
    }
}

/// <summary>The engine holding a store, as its lock file's body records it.</summary>
public sealed record EngineStoreHolder(string Node, string Host, int Pid, DateTimeOffset Since);
