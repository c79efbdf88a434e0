using CutoverEngine.Engine.Cutovers;

namespace CutoverEngine.Cli.Hosting;

/// <summary>
/// Live progress of a wave: on a terminal a table redrawn in place (a row per environment: step, elapsed,
/// downtime so far); elsewhere (CI, pipes) one line per change, so logs stay readable.
/// </summary>
public sealed class ProgressPrinter(TextWriter output, bool interactive, TimeProvider clock)
    : IProgress<IReadOnlyList<CutoverSummary>>
{
    readonly Dictionary<string, string> _lastLine = [];
    readonly DateTimeOffset _started = clock.GetUtcNow();
    int _drawnRows;
    readonly Lock _gate = new();

    public void Report(IReadOnlyList<CutoverSummary> value)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (interactive)
            {
                if (_drawnRows > 0)
                    output.Write($"\u001b[{_drawnRows}A");
                output.WriteLine(
                    $"\u001b[2K{"ENVIRONMENT", -22} {"STEP", -24} {"ELAPSED", 8} {"DOWNTIME", 9}  OUTCOME"
                );
                foreach (var s in value.OrderBy(s => s.EnvironmentId, StringComparer.Ordinal))
                    output.WriteLine("\u001b[2K" + Row(s, now));
                _drawnRows = value.Count + 1;
            }
            else
            {
                foreach (var s in value)
                {
                    var line = $"{s.EnvironmentId}: {s.Outcome ?? s.CurrentStep ?? "starting"}";
                    if (_lastLine.TryGetValue(s.EnvironmentId, out var last) && last == line)
                        continue;
                    _lastLine[s.EnvironmentId] = line;
                    output.WriteLine(
                        $"[{(now - _started).TotalSeconds, 6:0.0}s] {line}{(s.Outcome is null ? "" : $" (downtime {Seconds(s.Downtime.DowntimeSeconds)})")}"
                    );
                }
            }
            output.Flush();
        }
    }

    string Row(CutoverSummary s, DateTimeOffset now)
    {
        var downtime = s.Downtime.DowntimeSeconds ?? (s.Downtime.PausedAt is { } p ? (now - p).TotalSeconds : null);
        return $"{s.EnvironmentId, -22} {(s.IsFinished ? "-" : s.CurrentStep ?? "starting"), -24} {(now - _started).TotalSeconds, 7:0.0}s {Seconds(downtime), 9}  {s.Outcome ?? ""}";
    }

    static string Seconds(double? s) => s is { } v ? $"{v:0.0}s" : "-";
}
