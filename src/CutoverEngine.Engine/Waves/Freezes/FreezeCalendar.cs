using CutoverEngine.Domain.Waves.Freezes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Engine.Waves.Freezes;

/// <summary>The calendar could not be read; every schedule and start is refused until it can.</summary>
public sealed class FreezeCalendarException(string message) : InvalidOperationException(message);

/// <summary>
/// The freezes in force, read from <see cref="FreezeOptions.File"/> and read again whenever the file changes (its
/// write time or length), so an edit holds from the next check on, on every node that reads the same file, without
/// a restart. Checked on every schedule, start and due trigger: a stat per check, a parse per change.
/// </summary>
public sealed class FreezeCalendar(FreezeOptions options, ILogger<FreezeCalendar>? logger = null)
{
    readonly ILogger _logger = logger ?? NullLogger<FreezeCalendar>.Instance;
    readonly Lock _lock = new();
    (DateTime Written, long Length)? _stamp;
    IReadOnlyList<ChangeFreeze> _freezes = [];

    public string? File => options.File;

    /// <summary>The freezes now; throws <see cref="FreezeCalendarException"/> naming the file and every
    /// error.</summary>
    public IReadOnlyList<ChangeFreeze> Current()
    {
        if (options.File is not { Length: > 0 } path)
            return [];
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FreezeCalendarException(
                $"The change-freeze calendar {path} ({FreezeOptions.SectionName}:File) does not exist; "
                    + "schedules and starts are refused until it does (create it empty for no freezes)."
            );
        lock (_lock)
        {
            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (_stamp == stamp)
                return _freezes;
            var (freezes, errors) = FreezeCalendarReader.Parse(System.IO.File.ReadAllText(path), path);
            if (freezes is null)
                throw new FreezeCalendarException(
                    $"The change-freeze calendar {path} is invalid; schedules and starts are refused until it is "
                        + "fixed: "
                        + string.Join("; ", errors)
                );
            _logger.LogInformation(
                "Change-freeze calendar {File} read: {Count} freeze(s): {Freezes}",
                path,
                freezes.Count,
                string.Join(", ", freezes.Select(f => f.Describe()))
            );
            (_stamp, _freezes) = (stamp, freezes);
            return freezes;
        }
    }
}
