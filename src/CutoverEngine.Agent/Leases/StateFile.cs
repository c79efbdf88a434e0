using System.Text.Json;

namespace CutoverEngine.Agent.Leases;

/// <summary>
/// The agent's state on disk, replaced atomically: the new content goes to a temporary file, is flushed to the disk
/// (fsync), then renamed over the old one, so a kill -9 or a power cut leaves either the old state or the new one,
/// never half of each. A caller is answered only after the rename.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1001",
    Justification = "The write gate is a SemaphoreSlim whose wait handle is never asked for: it holds nothing to release."
)]
public sealed class StateFile(string directory)
{
    public const string FileName = "agent-state.json";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    readonly SemaphoreSlim _write = new(1, 1);

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public AgentState Load()
    {
        if (!File.Exists(Path))
            return new AgentState();
        try
        {
            return JsonSerializer.Deserialize<AgentState>(File.ReadAllText(Path), Json) ?? new AgentState();
        }
        catch (JsonException e)
        {
            // Refusing to start is safer than forgetting a pause whose lease someone relies on.
            throw new InvalidDataException(
                $"{Path}: the agent's state file is unreadable ({e.Message}); "
                    + "check the MTAs by hand, then move the file away to start afresh",
                e
            );
        }
    }

    public async Task SaveAsync(AgentState state, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temp = Path + ".tmp";
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, state, Json, ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            _write.Release();
        }
    }
}
