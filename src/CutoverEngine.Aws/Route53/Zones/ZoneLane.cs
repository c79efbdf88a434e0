using System.Threading.Channels;

namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>
/// One hosted zone inside <see cref="ZoneChangeBatcher"/>: an inbox that any thread posts to, and the zone's state,
/// which only the lane's consumer (one async loop, started by the first post) reads and writes. The consumer retires
/// the lane when the zone is idle; a post that finds it retired goes to a fresh lane for the zone.
/// </summary>
internal sealed class ZoneLane(string account, string zone)
{
    public string Account { get; } = account;
    public string Zone { get; } = zone;

    // Producers (submitters, announcers, reporters) write; the consumer reads. One consumer per lane: SingleReader.
    private readonly Channel<ZoneLaneMessage> _inbox = Channel.CreateUnbounded<ZoneLaneMessage>(
        new UnboundedChannelOptions { SingleReader = true }
    );

    // Producers and the consumer: makes "post unless retired" and "retire unless a message waits" one step each.
    private readonly Lock _gate = new();

    // Under _gate.
    private bool _retired;

    // Written by the consumer, read by any thread (WhenSettledAsync's fast path): Pending's id, or null.
    private volatile string? _pendingChangeId;

    /// <summary>The consumer loop; set under the gate by the first post, awaited by the batcher's shutdown.</summary>
    public Task? Consumer { get; private set; }

    /// <summary>The id (without <c>/change/</c>) of the zone's last change while it may still be PENDING.</summary>
    public string? PendingChangeId => _pendingChangeId;

    // Consumer only, from here on.

    public ChannelReader<ZoneLaneMessage> Inbox => _inbox.Reader;

    /// <summary>A wait for the inbox that outlives a timed wait, so at most one reader waits (SingleReader).</summary>
    public Task<bool>? Readable { get; set; }

    /// <summary>Submitted changes in arrival order; dropped once answered or given up.</summary>
    public List<ZoneChangeEntry> Queue { get; } = [];

    /// <summary>Owners announced to submit, with the instant the zone's batch stops waiting for each.</summary>
    public Dictionary<string, DateTimeOffset> Expected { get; } = new(StringComparer.Ordinal);

    /// <summary>Callers of WhenSettledAsync waiting for the zone's PENDING change.</summary>
    public List<SettleWaiter> SettleWaiters { get; } = [];

    /// <summary>The zone's last change while it may still be PENDING.</summary>
    public ChangeInfo? Pending { get; private set; }

    public DateTimeOffset PendingSince { get; private set; }

    /// <summary>When GetChange was last asked about <see cref="Pending"/>.</summary>
    public DateTimeOffset? PolledAt { get; set; }

    public bool HasWaitingSubmitters => Queue.Exists(e => !e.Result.Task.IsCompleted);

    public void SetPending(ChangeInfo? change, string? shortId, DateTimeOffset now)
    {
        Pending = change;
        PendingSince = now;
        PolledAt = null;
        _pendingChangeId = change is null ? null : shortId;
    }

    /// <summary>Posts unless the lane is retired; the first post starts the consumer.</summary>
    public bool TryPost(ZoneLaneMessage message, Func<ZoneLane, Task> startConsumer)
    {
        lock (_gate)
        {
            if (_retired)
                return false;
            _inbox.Writer.TryWrite(message); // unbounded and not completed: always accepted
            Consumer ??= startConsumer(this);
            return true;
        }
    }

    /// <summary>
    /// Closes the inbox unless a message is waiting (<paramref name="force"/>: even then, at shutdown or after a fault;
    /// the consumer still reads what is buffered). <paramref name="retired"/> runs under the gate, so no post slips in
    /// between the lane leaving the batcher's map and its inbox closing.
    /// </summary>
    public bool TryRetire(bool force, Action<ZoneLane> retired)
    {
        lock (_gate)
        {
            if (_retired)
                return true;
            if (!force && _inbox.Reader.TryPeek(out _))
                return false;
            _retired = true;
            _inbox.Writer.TryComplete();
            retired(this);
            return true;
        }
    }
}

/// <summary>What the lane's consumer is told; each is applied to the lane's state in the order posted.</summary>
internal abstract record ZoneLaneMessage
{
    public sealed record Submit(ZoneChangeEntry Entry) : ZoneLaneMessage;

    public sealed record Expect(string Owner, DateTimeOffset Until) : ZoneLaneMessage;

    public sealed record Withdraw(string Owner) : ZoneLaneMessage;

    public sealed record InSync(string ChangeId) : ZoneLaneMessage;

    public sealed record AwaitSettled(SettleWaiter Waiter) : ZoneLaneMessage;

    /// <summary>A submitter gave up: the consumer looks again at whom it still serves.</summary>
    public sealed record Wake : ZoneLaneMessage;
}

/// <summary>
/// One owner's changes and its answer. <see cref="Context"/> is the submitter's execution context: the requests made
/// for a batch run in the context of an owner it carries, so they are recorded under that cutover.
/// </summary>
internal sealed class ZoneChangeEntry(
    string owner,
    IReadOnlyList<RecordSetChange> changes,
    ExecutionContext? context,
    CancellationToken token
)
{
    public string Owner { get; } = owner;
    public IReadOnlyList<RecordSetChange> Changes { get; } = changes;
    public ExecutionContext? Context { get; } = context;
    public CancellationToken Token { get; } = token;

    public TaskCompletionSource<ZoneChangeOutcome> Result { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A WhenSettledAsync caller: released once the zone has no PENDING change, or at Until.</summary>
internal sealed class SettleWaiter(DateTimeOffset until)
{
    public DateTimeOffset Until { get; } = until;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
