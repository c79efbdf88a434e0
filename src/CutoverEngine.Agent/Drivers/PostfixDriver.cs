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
        await ReloadAsync(ct);
    }

    public async Task ResumeAsync(CancellationToken ct)
    {
        var current = await DeferTransportsAsync(ct);
        if (current.Count > 0 && !IsOurs(current))
            throw new ForeignPauseException(Foreign(current));
        if (current.Count > 0)
        {
            await RunAsync([Postconf, "-c", settings.ConfigDirectory, "-e", "defer_transports="], ct);
            await ReloadAsync(ct);
        }
    }

    /// <summary>Deferred mail waits for the queue manager's next scan (minutes); the flush delivers it now.</summary>
    public async Task DeliverHeldAsync(CancellationToken ct) =>
        await RunAsync([Postqueue, "-c", settings.ConfigDirectory, "-f"], ct);

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
    /// the signal is one process. Without a live master to signal, <c>postfix reload</c> runs and says why.
    /// </summary>
    async Task ReloadAsync(CancellationToken ct)
    {
        if (MasterPid() is { } pid)
            await RunAsync(["/bin/kill", "-HUP", pid.ToString(CultureInfo.InvariantCulture)], ct);
        else
            await RunAsync([PostfixCommand, "-c", settings.ConfigDirectory, "reload"], ct);
    }

    /// <summary>The pid in <c>QUEUE/pid/master.pid</c> when that process is a Postfix master: a stale file left by a
    /// dead master must not make the agent signal an unrelated process that reused the pid.</summary>
    int? MasterPid()
    {
        if (_queueDirectory is null)
            return null;
        try
        {
            var text = File.ReadAllText(Path.Combine(_queueDirectory, "pid", "master.pid")).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                return null;
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "master" ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    bool IsOurs(IReadOnlyList<string> current) => current.ToHashSet().SetEquals(settings.Transports);

    string Foreign(IReadOnlyList<string> current) =>
        $"defer_transports in {settings.ConfigDirectory} is '{string.Join(' ', current)}', which this agent did not set "
        + $"(it sets '{Ours}'); nothing was changed";

    Task<ProcessResult> RunAsync(string[] command, CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync(command, settings.Timeout, ct);
}
