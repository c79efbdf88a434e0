using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Tests.Support;

/// <summary>An MTA in memory: records every call, can be told to fail or to look paused by someone else.</summary>
public sealed class FakeDriver : IMtaDriver
{
    readonly Lock _gate = new();
    public string Name => "fake";
    public bool MtaPaused { get; private set; }
    public long QueueDepth { get; set; }
    public string? Foreign { get; set; }
    public string? FailWith { get; set; }
    public List<string> Calls { get; } = [];

    /// <summary>When set, a pause waits for it after recording the call (as a real MTA's command takes time),
    /// honouring the token it was given.</summary>
    public TaskCompletionSource? HoldPause { get; set; }

    /// <summary>The token the last pause was given.</summary>
    public CancellationToken PauseToken { get; private set; }

    public async Task PauseAsync(TimeSpan lease, string reason, CancellationToken ct)
    {
        PauseToken = ct;
        Record($"pause {lease.TotalSeconds:0}");
        if (HoldPause is { } hold)
            await hold.Task.WaitAsync(ct);
        if (FailWith is { } f)
            throw new MtaDriverException(f);
        MtaPaused = true;
    }

    public Task ResumeAsync(CancellationToken ct)
    {
        Record("resume");
        if (FailWith is { } f)
            throw new MtaDriverException(f);
        MtaPaused = false;
        return Task.CompletedTask;
    }

    public Task<MtaStatus> StatusAsync(CancellationToken ct) =>
        Task.FromResult(
            new MtaStatus(MtaPaused, QueueDepth, MtaPaused ? QueueDepth : 0, new Dictionary<string, long>())
            {
                ForeignPause = Foreign,
            }
        );

    public int Count(string prefix)
    {
        lock (_gate)
            return Calls.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));
    }

    void Record(string call)
    {
        lock (_gate)
            Calls.Add(call);
    }
}
