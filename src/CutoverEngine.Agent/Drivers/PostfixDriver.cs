using System.Text.Json;
using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// Postfix through its own commands, one instance chosen by <c>-c DIR</c>: pause sets <c>defer_transports</c> for the
/// configured transports and reloads (queued and newly arriving mail then waits in the deferred queue); resume clears
/// it, reloads and flushes. The pause state is read back from <c>postconf</c>, and a <c>defer_transports</c> this
/// driver did not set is reported and left alone.
/// </summary>
public sealed class PostfixDriver(PostfixSettings settings) : IMtaDriver
{
    public string Name => "postfix";

    string Postconf => Path.Combine(settings.CommandDirectory, "postconf");
    string PostfixCommand => Path.Combine(settings.CommandDirectory, "postfix");
    string Postqueue => Path.Combine(settings.CommandDirectory, "postqueue");
    string Ours => string.Join(' ', settings.Transports);

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
        await RunAsync([PostfixCommand, "-c", settings.ConfigDirectory, "reload"], ct);
    }

    public async Task ResumeAsync(CancellationToken ct)
    {
        var current = await DeferTransportsAsync(ct);
        if (current.Count > 0 && !IsOurs(current))
            throw new ForeignPauseException(Foreign(current));
        if (current.Count > 0)
        {
            await RunAsync([Postconf, "-c", settings.ConfigDirectory, "-e", "defer_transports="], ct);
            await RunAsync([PostfixCommand, "-c", settings.ConfigDirectory, "reload"], ct);
        }
        // Deferred mail waits for the queue manager's next scan (minutes); the flush delivers it now.
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
        var result = await RunAsync([Postconf, "-c", settings.ConfigDirectory, "-h", "defer_transports"], ct);
        return result.Stdout.Split([' ', ',', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
    }

    bool IsOurs(IReadOnlyList<string> current) => current.ToHashSet().SetEquals(settings.Transports);

    string Foreign(IReadOnlyList<string> current) =>
        $"defer_transports in {settings.ConfigDirectory} is '{string.Join(' ', current)}', which this agent did not set "
        + $"(it sets '{Ours}'); nothing was changed";

    Task<ProcessResult> RunAsync(string[] command, CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync(command, settings.Timeout, ct);
}
