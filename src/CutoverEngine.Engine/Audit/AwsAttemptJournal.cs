using System.Threading.Channels;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Engine.Cutovers;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// Puts every AWS attempt into the journal as an `aws-attempt` entry under the cutover and step that made it.
/// The gateways record attempts synchronously; the journal writes asynchronously, so attempts are queued and a
/// step flushes the queue before it reports its own completion (its attempts always precede it in the journal).
/// </summary>
public sealed class AwsAttemptJournal : IAwsAttemptSink, IAsyncDisposable
{
    readonly ICutoverJournal _journal;
    readonly Channel<(AwsAttempt Attempt, JournalEvent Event)> _queue = Channel.CreateUnbounded<(AwsAttempt, JournalEvent)>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;
    readonly IDisposable _subscription;
    long _queued, _written;
    readonly SemaphoreSlim _progress = new(0);

    public AwsAttemptJournal(ICutoverJournal journal, AwsAttemptFeed feed)
    {
        _journal = journal;
        _subscription = feed.Subscribe(this);
        _writer = Task.Run(WriteAsync);
    }

    public void Record(AwsAttempt a)
    {
        var run = CutoverScope.Active;
        var payload = new
        {
            callId = a.CallId,
            service = a.Service.ToString(),
            operation = a.Operation,
            account = a.Account,
            attempt = a.AttemptNumber,
            outcome = a.Outcome.ToString(),
            httpStatus = a.HttpStatus,
            errorCode = a.ErrorCode,
            errorMessage = a.ErrorMessage,
            requestId = a.RequestId,
            startedAt = a.StartedAt,
            latencyMs = a.Latency.TotalMilliseconds,
            delayBeforeNextMs = a.NextAttemptDelay?.TotalMilliseconds,
            note = a.Note,
        };
        var entry = run?.Event("aws-attempt", payload) ?? new JournalEvent("aws-attempt", "engine") { Payload = payload };
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite((a, entry));
    }

    /// <summary>Waits until every attempt recorded so far is in the journal.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (Interlocked.Read(ref _written) < target)
            await _progress.WaitAsync(TimeSpan.FromMilliseconds(50), ct);
    }

    async Task WriteAsync()
    {
        await foreach (var (_, entry) in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await _journal.AppendAsync(entry);
            }
            catch (Exception e)
            {
                Serilog.Log.Error(e, "Could not journal an AWS attempt of {Environment}", entry.Environment);
            }
            Interlocked.Increment(ref _written);
            _progress.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _queue.Writer.TryComplete();
        await _writer;
    }
}
