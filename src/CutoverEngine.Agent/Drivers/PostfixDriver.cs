using System.Globalization;
using System.Text.Json;
using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// Postfix through its own commands, one instance chosen by <c>-c DIR</c>: pause sets <c>defer_transports</c> for the
/// configured transports and reloads, with SIGHUP to the instance's master (queued and newly arriving mail then waits
/// in the deferred queue); resume clears it and reloads, and the held mail is then flushed. The pause state is read
/// back from <c>postconf</c>, and a <c>defer_transports</c> this driver did not set is reported and left alone.
/// </summary>
public sealed class PostfixDriver(PostfixSettings settings) : IMtaDriver
{
    public string Name => "postfix";

    string Postconf => Path.Combine(settings.CommandDirectory, "postconf");
    string PostfixCommand => Path.Combine(settings.CommandDirectory, "postfix");
    string Postqueue => Path.Combine(settings.CommandDirectory, "postqueue");
    string Ours => string.Join(' ', settings.Transports);

    /// <summary>The instance's queue directory (where master.pid lives), read with every pause-state read.</summary>
    string? _queueDirectory;

    public async Task PauseAsync(TimeSpan lease, string reason, CancellationToken ct)
    {
        var current = await DeferTransportsAsync(ct);
        if (current.Count > 0)
        {
            if (IsOurs(current))
                return;
            throw new ForeignPauseException(Foreign(current));
        }
        await RunAsync([Postconf, "-c", settings.ConfigDirectory, "-e", $"defer_transports={Ours}"], ct);
        // The pause keeps postfix reload, which returns once the master has taken the new main.cf: with the bare
        // SIGHUP the end-to-end test saw mail accepted after the pause had been recorded.
        await RunAsync([PostfixCommand, "-c", settings.ConfigDirectory, "reload"], ct);
    }

    public async Task ResumeAsync(CancellationToken ct)
    {
        var current =
            OwnLineInMainCf() && _queueDirectory is not null ? settings.Transports : await DeferTransportsAsync(ct);
        if (current.Count > 0 && !IsOurs(current))
            throw new ForeignPauseException(Foreign(current));
        if (current.Count > 0)
        {
            await RunAsync([Postconf, "-c", settings.ConfigDirectory, "-e", "defer_transports="], ct);
            Settled();
            var queueManager = InstanceProcess("qmgr");
            await ReloadAsync(ct);
            await QueueManagerReplacedAsync(queueManager, ct);
        }
    }

    /// <summary>How long a resume waits for the reload to replace the queue manager before it flushes anyway.</summary>
    static readonly TimeSpan QueueManagerRestartDeadline = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits until the queue manager that ran before the reload (<paramref name="before"/>) has been replaced. The
    /// reload's SIGHUP returns at once; a flush that reaches the old qmgr, which still holds the old
    /// defer_transports, defers the held mail again with a fresh backoff (minutes), as a loaded CI host showed.
    /// The new qmgr reads the new main.cf, so the flush after this delivers.
    /// </summary>
    async Task QueueManagerReplacedAsync(int? before, CancellationToken ct)
    {
        if (before is null)
            return;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (InstanceProcess("qmgr") == before && waited.Elapsed < QueueManagerRestartDeadline)
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
    }

    /// <summary>
    /// Dates main.cf two seconds back. Every Postfix program that reads main.cf within about two seconds of its last
    /// change waits in 0.3 s sleeps until it is older (a guard against reading a file an editor is still writing; seen
    /// with strace of <c>postqueue -f</c>), so the qmgr and smtp processes a resume starts delivered only 1.5-2.5 s
    /// after it, at any load. postconf -e replaced the file whole by rename: there is no half-written file to guard.
    /// </summary>
    void Settled()
    {
        try
        {
            File.SetLastWriteTimeUtc(
                Path.Combine(settings.ConfigDirectory, "main.cf"),
                DateTime.UtcNow - TimeSpan.FromSeconds(2)
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Delivery then starts after Postfix's own wait instead.
        }
    }

    /// <summary>
    /// Deferred mail waits for the queue manager's next scan (minutes); the flush delivers it now. The flush is the
    /// four trigger bytes <c>postqueue -f</c> writes to the queue manager's socket (F, A, D, I: qmgr(8) TRIGGERS),
    /// written here directly: right after main.cf changes, <c>postqueue</c> itself waits for the file to settle
    /// (measured 1.5-2.4 s of 0.3 s sleeps, re-reading main.cf), which alone broke a lapse's lease + 2 s. Without that
    /// socket (a <c>fifo</c> qmgr, an older layout), <c>postqueue -f</c> runs.
    /// </summary>
    public async Task DeliverHeldAsync(CancellationToken ct)
    {
        if (_queueDirectory is { } queue && await QmgrTrigger.TrySendAsync(queue, "FADI", ct))
            return;
        await RunAsync([Postqueue, "-c", settings.ConfigDirectory, "-f"], ct);
    }

    public async Task<MtaStatus> StatusAsync(CancellationToken ct)
    {
        var current = await DeferTransportsAsync(ct);
        var queue = await RunAsync([Postqueue, "-c", settings.ConfigDirectory, "-j"], ct);
        long depth = 0,
            deferred = 0,
            active = 0,
            hold = 0;
        foreach (
            var line in queue.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        )
        {
            string? name;
            try
            {
                using var doc = JsonDocument.Parse(line);
                name = doc.RootElement.TryGetProperty("queue_name", out var q) ? q.GetString() : null;
            }
            catch (JsonException e)
            {
                throw new MtaDriverException(
                    $"postqueue -c {settings.ConfigDirectory} -j printed a line that is not JSON: {e.Message}"
                );
            }
            depth++;
            if (name == "deferred")
                deferred++;
            else if (name == "active")
                active++;
            else if (name == "hold")
                hold++;
        }
        var counters = new Dictionary<string, long>
        {
            ["deferred"] = deferred,
            ["active"] = active,
            ["hold"] = hold,
        };
        return new MtaStatus(current.Count > 0, depth, deferred, counters)
        {
            ForeignPause = current.Count > 0 && !IsOurs(current) ? Foreign(current) : null,
            Detail = $"defer_transports = {string.Join(' ', current)}",
        };
    }

    async Task<IReadOnlyList<string>> DeferTransportsAsync(CancellationToken ct)
    {
        var result = await RunAsync(
            [Postconf, "-c", settings.ConfigDirectory, "-h", "defer_transports", "queue_directory"],
            ct
        );
        // One line per parameter, in the order asked; an empty defer_transports is an empty first line.
        var lines = result.Stdout.Split('\n');
        if (lines.Length > 1 && lines[1].Trim() is { Length: > 0 } queue)
            _queueDirectory = queue;
        return lines[0].Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Makes the master re-read main.cf with SIGHUP, as master(8) documents and as <c>postfix reload</c> does after
    /// its own checks. Measured on the shared 2-core box under load: <c>postfix reload</c> (six processes: postfix,
    /// postfix-script, master -t, postlog, postsuper, kill) took 1.5-2.4 s, which alone broke a lapse's lease + 2 s;
    /// the signal is a system call, no process at all. Without a live master to signal, <c>postfix reload</c> runs
    /// and says why.
    /// </summary>
    async Task ReloadAsync(CancellationToken ct)
    {
        if (MasterPid() is { } pid)
            ProcessSignal.Hangup(pid);
        else
            await RunAsync([PostfixCommand, "-c", settings.ConfigDirectory, "reload"], ct);
    }

    /// <summary>
    /// The live Postfix master of this instance: the process named <c>master</c> whose working directory is the
    /// instance's queue directory (master chdirs there). Not read from <c>QUEUE/pid/master.pid</c>: the master holds
    /// an exclusive flock on that file and .NET's every open for reading asks for a shared one, so the read failed and
    /// each reload fell back to <c>postfix reload</c> (measured 1.6-2.5 s of a lapse under load). A stale pid file
    /// cannot point the signal at an unrelated process this way either.
    /// </summary>
    int? MasterPid() => InstanceProcess("master");

    /// <summary>The pid of this instance's process named <paramref name="name"/> (its working directory is the
    /// instance's queue directory, where every Postfix daemon runs), or null.</summary>
    int? InstanceProcess(string name)
    {
        if (_queueDirectory is null)
            return null;
        var queue = Path.TrimEndingDirectorySeparator(_queueDirectory);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (
                    File.ReadAllText(Path.Combine(dir, "comm")).Trim() == name
                    && new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget is { } cwd
                    && Path.TrimEndingDirectorySeparator(cwd) == queue
                )
                    return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being looked at, or is not ours to inspect.
            }
        }
        return null;
    }

    /// <summary>
    /// Whether main.cf's last <c>defer_transports</c> line is the one this driver writes, read in-process: a lapse
    /// then runs one Postfix command (postconf -e) instead of two, and on a loaded host each command start measured
    /// 0.5-1.1 s of waiting for a core. Only that exact, literal line is recognised (a logical line with its
    /// continuations, no <c>$</c>); anything else is answered by <c>postconf -h</c>, the authority.
    /// </summary>
    bool OwnLineInMainCf()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(settings.ConfigDirectory, "main.cf"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        string? value = null;
        var inDeferTransports = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
                continue;
            if (char.IsWhiteSpace(line[0]))
            {
                if (inDeferTransports)
                    value += " " + line.Trim();
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            inDeferTransports = equals > 0 && line[..equals].Trim() == "defer_transports";
            if (inDeferTransports)
                value = line[(equals + 1)..].Trim();
        }
        if (value is null || value.Contains('$', StringComparison.Ordinal))
            return false;
        return IsOurs(value.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    bool IsOurs(IReadOnlyList<string> current) => current.ToHashSet().SetEquals(settings.Transports);

    string Foreign(IReadOnlyList<string> current) =>
        $"defer_transports in {settings.ConfigDirectory} is '{string.Join(' ', current)}', which this agent did not set "
        + $"(it sets '{Ours}'); nothing was changed";

    Task<ProcessResult> RunAsync(string[] command, CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync(command, settings.Timeout, ct);
}
