using System.Globalization;
using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// PowerMTA through its command line: <c>pmta pause queue PATTERN</c>, <c>pmta resume queue PATTERN</c>,
/// <c>pmta show queues</c>. PowerMTA's pauses do not expire; the agent's lease is the only timer.
/// </summary>
public sealed class PowerMtaDriver(PowerMtaSettings settings) : IMtaDriver
{
    public string Name => "powermta";

    public Task PauseAsync(TimeSpan lease, string reason, CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync([settings.Command, "pause", "queue", settings.Queue], settings.Timeout, ct);

    public Task ResumeAsync(CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync([settings.Command, "resume", "queue", settings.Queue], settings.Timeout, ct);

    public async Task<MtaStatus> StatusAsync(CancellationToken ct)
    {
        var result = await ProcessRunner.RunCheckedAsync([settings.Command, "show", "queues"], settings.Timeout, ct);
        return Parse(result.Stdout);
    }

    /// <summary>
    /// Reads the table <c>show queues</c> prints: a header naming the columns (queue, recipients, ..., paused), then
    /// one row per domain/virtual-MTA queue. Paused means every listed queue says yes.
    /// </summary>
    internal static MtaStatus Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var headerAt = Array.FindIndex(
            lines,
            l =>
                l.Contains("Rcpt", StringComparison.OrdinalIgnoreCase)
                && l.Contains("Paused", StringComparison.OrdinalIgnoreCase)
        );
        if (headerAt < 0)
            throw new MtaDriverException(
                $"pmta show queues: no header with Rcpt and Paused columns in: {Head(output)}"
            );
        var header = lines[headerAt].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rcpt = Array.FindIndex(header, h => h.StartsWith("Rcpt", StringComparison.OrdinalIgnoreCase));
        var paused = Array.FindIndex(header, h => h.Equals("Paused", StringComparison.OrdinalIgnoreCase));
        long depth = 0,
            queues = 0,
            pausedQueues = 0;
        foreach (var line in lines.Skip(headerAt + 1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length <= Math.Max(rcpt, paused) || !cells[0].Contains('/'))
                continue;
            if (!long.TryParse(cells[rcpt], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                throw new MtaDriverException(
                    $"pmta show queues: recipients '{cells[rcpt]}' is not a number in: {line}"
                );
            queues++;
            depth += n;
            if (cells[paused].Equals("yes", StringComparison.OrdinalIgnoreCase))
                pausedQueues++;
        }
        return new MtaStatus(
            queues > 0 && pausedQueues == queues,
            depth,
            0,
            new Dictionary<string, long> { ["queues"] = queues, ["pausedQueues"] = pausedQueues }
        )
        {
            Detail = queues == 0 ? "no queues listed: the pause state cannot be read back" : null,
        };
    }

    static string Head(string text) => text.Length > 200 ? text[..200] : text;
}
