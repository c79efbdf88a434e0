using System.Globalization;
using System.Text.Json;
using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// Any other MTA (Momentum's ec_console, Campaign's <c>nlserver stop|start mta@INSTANCE</c>): configured argument
/// arrays run without a shell. The only substitution is <c>{leaseSeconds}</c> (a number the agent checked) in the
/// pause command. Status must print one JSON object: <c>{"paused": bool, "queueDepth": n, "deferred"?: n,
/// "counters"?: {name: n}}</c>.
/// </summary>
public sealed class CommandsDriver(CommandsSettings settings) : IMtaDriver
{
    public string Name => "commands";

    public Task PauseAsync(TimeSpan lease, string reason, CancellationToken ct)
    {
        var seconds = ((long)Math.Ceiling(lease.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var command = settings
            .Pause.Select(a => a.Replace("{leaseSeconds}", seconds, StringComparison.Ordinal))
            .ToList();
        return ProcessRunner.RunCheckedAsync(command, settings.Timeout, ct);
    }

    public Task ResumeAsync(CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync(settings.Resume, settings.Timeout, ct);

    public async Task<MtaStatus> StatusAsync(CancellationToken ct)
    {
        var result = await ProcessRunner.RunCheckedAsync(settings.Status, settings.Timeout, ct);
        var what = ProcessRunner.Describe(settings.Status);
        try
        {
            using var doc = JsonDocument.Parse(result.Stdout);
            var root = doc.RootElement;
            if (
                !root.TryGetProperty("paused", out var p)
                || p.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            )
                throw new MtaDriverException($"{what}: the status JSON has no boolean \"paused\"");
            var depth = root.TryGetProperty("queueDepth", out var q) && q.TryGetInt64(out var d) ? d : 0;
            var deferred = root.TryGetProperty("deferred", out var df) && df.TryGetInt64(out var dv) ? dv : 0;
            var counters = new Dictionary<string, long>();
            if (root.TryGetProperty("counters", out var c) && c.ValueKind == JsonValueKind.Object)
                foreach (var kv in c.EnumerateObject())
                    if (kv.Value.TryGetInt64(out var n))
                        counters[kv.Name] = n;
            return new MtaStatus(p.GetBoolean(), depth, deferred, counters);
        }
        catch (JsonException e)
        {
            throw new MtaDriverException($"{what}: stdout is not a JSON object: {e.Message}");
        }
    }
}
