using System.Threading.Channels;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Resilience;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// Puts every AWS attempt into the journal as an `aws-attempt` entry under the cutover and step that made it.
/// The gateways record attempts synchronously; the journal writes asynchronously, so attempts are queued and a
/// step flushes the queue before it reports its own completion (its attempts always precede it in the journal).
/// The writer hands everything queued to the journal at once (one group commit for many attempts, in order), and a
/// flush is woken by the write that reaches it, not by polling.
/// </summary>
public sealed class AwsAttemptJournal : IAwsAttemptSink, IAsyncDisposable
{
    readonly ICutoverJournal _journal;
    readonly Channel<(AwsAttempt Attempt, JournalEvent Event)> _queue = Channel.CreateUnbounded<(
        AwsAttempt,
        JournalEvent
    )>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;
    readonly IDisposable _subscription;
    readonly ILogger<AwsAttemptJournal> _log;
    long _queued,
        _written;
    TaskCompletionSource _progress = NewProgress();

    public AwsAttemptJournal(ICutoverJournal journal, AwsAttemptFeed feed, ILogger<AwsAttemptJournal>? log = null)
    {
        _journal = journal;
        _log = log ?? NullLogger<AwsAttemptJournal>.Instance;
        _subscription = feed.Subscribe(this);
        _writer = Task.Run(WriteAsync);
    }

    public void Record(AwsAttempt a)
    {
        var run = CutoverScope.Active;
        var payload = new AwsAttemptPayload(
            a.CallId,
            a.Service.ToString(),
            a.Operation,
            a.Account,
            a.AttemptNumber,
            a.Outcome.ToString(),
            a.HttpStatus,
            a.ErrorCode,
            a.ErrorMessage,
            a.RequestId,
            a.StartedAt,
            a.Latency.TotalMilliseconds,
            a.NextAttemptDelay?.TotalMilliseconds,
            a.Note,
            a.FaultClass?.ToWireName()
        );
        var entry = run?.Event(payload) ?? JournalEvent.Of(payload, "engine");
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite((a, entry));
    }

    /// <summary>Waits until every attempt recorded so far is in the journal.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (true)
        {
            // Take the signal before reading the count: a write that lands in between completes this very signal.
            var progress = Volatile.Read(ref _progress).Task;
            if (Interlocked.Read(ref _written) >= target)
                return;
            await progress.WaitAsync(ct);
        }
    }

    static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    async Task WriteAsync()
    {
        var batch = new List<(Task Append, JournalEvent Entry)>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Every attempt queued so far goes to the journal together: AppendAsync queues each synchronously, in
            // this order, and the journal commits them as one batch.
            batch.Clear();
            while (_queue.Reader.TryRead(out var item))
                batch.Add((_journal.AppendAsync(item.Event), item.Event));
            foreach (var (append, entry) in batch)
            {
                try
                {
                    await append;
                }
                catch (Exception e)
                {
                    _log.LogError(e, "Could not journal an AWS attempt of {Environment}", entry.Environment);
                }
            }
            Interlocked.Add(ref _written, batch.Count);
            Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _queue.Writer.TryComplete();
        await _writer;
    }
}
