using System.Text.Json;
using CutoverEngine.Engine.Persistence;

namespace CutoverEngine.Engine.Tests.Persistence;

/// <summary>
/// The one-engine hold on a database file. Two holds in one process conflict like two processes would (the lock
/// belongs to the open file, not the process), so these run in-process; the end-to-end tests run real processes.
/// </summary>
public sealed class EngineStoreLockTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("engine-lock-").FullName;
    string DatabasePath => Path.Combine(_directory, "data", "cutover.db");

    EngineStoreLock Lock(string node, TimeSpan wait) => new(DatabasePath, node, TimeProvider.System, wait);

    [Fact]
    public async Task A_second_engine_on_the_same_file_is_refused_naming_the_holder_and_its_start()
    {
        using var first = Lock("node-a", TimeSpan.Zero);
        await first.AcquireAsync();
        using var second = Lock("node-b", TimeSpan.FromMilliseconds(300));

        var refused = await Assert.ThrowsAsync<EngineStoreHeldException>(() => second.AcquireAsync());

        Assert.Equal(first.Holder, refused.Holder);
        Assert.Equal(Environment.ProcessId, refused.Holder!.Pid);
        Assert.Contains("engine node-a", refused.Message, StringComparison.Ordinal);
        var since = $"since {first.Holder!.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
        Assert.Contains(since, refused.Message, StringComparison.Ordinal);
        Assert.Null(second.Holder);
        Assert.False(File.Exists(DatabasePath), "the refused start touched the database");
    }

    [Fact]
    public async Task The_hold_ends_with_its_holder_and_the_next_engine_names_itself_as_holder()
    {
        using (var first = Lock("node-a", TimeSpan.Zero))
            await first.AcquireAsync();
        using var next = Lock("node-b", TimeSpan.Zero);

        await next.AcquireAsync();

        var text = File.ReadAllText(next.HolderPath);
        var body = JsonSerializer.Deserialize<EngineStoreHolder>(text, JsonSerializerOptions.Web);
        Assert.Equal(next.Holder, body);
        Assert.Equal("node-b", body!.Node);
    }

    [Fact]
    public async Task A_start_waits_for_a_holder_that_lets_go_within_the_wait()
    {
        var first = Lock("node-a", TimeSpan.Zero);
        await first.AcquireAsync();
        using var second = Lock("node-b", TimeSpan.FromSeconds(30));

        var acquiring = second.AcquireAsync();
        Assert.False(acquiring.IsCompleted);
        first.Dispose();
        await acquiring.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("node-b", second.Holder!.Node);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
