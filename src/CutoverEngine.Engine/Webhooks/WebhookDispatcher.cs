using CutoverEngine.Engine.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// Sends the journal's events to the configured receivers, in the background. The journal is the source of truth:
/// steps and wave commands only journal, and each receiver's lane (<see cref="WebhookLane"/>) follows the journal
/// from a cursor stored in the database (<see cref="WebhookCursorStore"/>), so a slow or absent receiver never slows
/// a cutover, and events journaled by other processes (the CLI's wave commands beside `cutover serve`) or while no
/// engine ran are delivered too. Started with the engine's workers; stopping drains what the journal holds for at
/// most <see cref="WebhookOptions.DrainTimeout"/>.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable, IDisposable
{
    readonly WebhookOptions _options;
    readonly ICutoverJournal _journal;
    readonly WebhookCursorStore _cursors;
    readonly TimeProvider _clock;
    readonly ILogger<WebhookDispatcher> _log;
    readonly HttpClient _http;
    readonly IReadOnlyList<(WebhookReceiverOptions Receiver, string Secret)> _receivers;

    // Touched by Start and StopAsync only (the host's start and shutdown, one after the other).
    readonly CancellationTokenSource _idle = new();
    readonly CancellationTokenSource _stop = new();
    Task[] _lanes = [];
    bool _stopped;

    // Read by the lanes, set once by StopAsync: the journal's end to drain to; -1 while not stopping.
    long _drainTarget = -1;

    /// <exception cref="OptionsValidationException">The Webhooks settings are not usable (each problem
    /// named).</exception>
    public WebhookDispatcher(
        IOptions<WebhookOptions> options,
        ICutoverJournal journal,
        WebhookCursorStore cursors,
        TimeProvider clock,
        ILogger<WebhookDispatcher> log,
        HttpMessageHandler? handler = null
    )
    {
        _options = options.Value;
        var problems = _options.Validate().ToList();
        if (problems.Count > 0)
            throw new OptionsValidationException(WebhookOptions.SectionName, typeof(WebhookOptions), problems);
        _journal = journal;
        _cursors = cursors;
        _clock = clock;
        _log = log;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        // Each attempt has its own timeout (Webhooks:AttemptTimeout).
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("CutoverEngine-Webhooks/1");
        _receivers =
        [
            .. _options.Receivers.Select((r, i) => (r, r.ResolveSecret($"{WebhookOptions.SectionName}:Receivers:{i}"))),
        ];
    }

    /// <summary>The receivers' names, in configuration order.</summary>
    public IReadOnlyList<string> Receivers => [.. _receivers.Select(r => r.Receiver.Name)];

    /// <summary>Starts one lane per receiver (none configured: nothing runs). Idempotent.</summary>
    public void Start()
    {
        if (_lanes.Length > 0 || _receivers.Count == 0 || _stopped)
            return;
        _lanes =
        [
            .. _receivers.Select(r =>
                Task.Run(() =>
                    RunLaneAsync(
                        new WebhookLane(r.Receiver, r.Secret, _options, _journal, _cursors, _http, _clock, _log),
                        r.Receiver.Name
                    )
                )
            ),
        ];
    }

    long? DrainTarget() => Interlocked.Read(ref _drainTarget) is >= 0 and var end ? end : null;

    async Task RunLaneAsync(WebhookLane lane, string receiver)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await lane.RunAsync(DrainTarget, _idle.Token, _stop.Token);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store was busy or unreadable: nothing was advanced; look again after a while.
                _log.LogWarning(e, "Webhook lane of {Receiver} failed; it resumes from its cursor", receiver);
                try
                {
                    await Task.Delay(_options.PollInterval, _clock, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Delivers what the journal holds now for at most <see cref="WebhookOptions.DrainTimeout"/>, then stops the
    /// lanes (an event cut off mid-retry is delivered by the next start).
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        if (_lanes.Length > 0)
        {
            try
            {
                Interlocked.Exchange(ref _drainTarget, await _cursors.JournalEndAsync());
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "Webhooks: the journal's end could not be read; stopping without draining");
                Interlocked.Exchange(ref _drainTarget, 0);
                await _stop.CancelAsync();
            }
            _stop.CancelAfter(_options.DrainTimeout);
            await _idle.CancelAsync();
            await Task.WhenAll(_lanes);
        }
        _stop.Dispose();
        _idle.Dispose();
        _http.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>For a container disposed synchronously (it refuses singletons that are only
    /// async-disposable).</summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();
}
