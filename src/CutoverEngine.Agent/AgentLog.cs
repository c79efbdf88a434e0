using System.Text.Json;

namespace CutoverEngine.Agent;

/// <summary>
/// The agent's own journal: one JSON object per line (time, event, fields) to its log file and to standard error.
/// Callers pass only what may be read by anyone with the log: a token's configured name, never the token.
/// </summary>
public sealed class AgentLog(TimeProvider clock, string? file, TextWriter? console) : IDisposable
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly Lock _gate = new();
    readonly StreamWriter? _file = file is null ? null : Open(file);

    public void Write(string @event, object? fields = null)
    {
        var entry = new Dictionary<string, object?> { ["time"] = clock.GetUtcNow(), ["event"] = @event };
        if (fields is not null)
            foreach (var p in JsonSerializer.SerializeToElement(fields, Json).EnumerateObject())
                entry[p.Name] = p.Value;
        var line = JsonSerializer.Serialize(entry, Json);
        lock (_gate)
        {
            _file?.WriteLine(line);
            _file?.Flush();
            console?.WriteLine(line);
        }
    }

    static StreamWriter Open(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
            Directory.CreateDirectory(dir);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
    }

    public void Dispose() => _file?.Dispose();
}
