using System.Diagnostics;
using System.Net.Http.Headers;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// One receiver's delivery: follows the journal from the receiver's cursor, delivers each event the receiver takes,
/// in journal order, one at a time, with retries, and journals every attempt. Owned by <see
/// cref="WebhookDispatcher"/>, which runs one lane per receiver so a receiver that is down holds up only its own
/// events.
/// </summary>
internal sealed class WebhookLane(
    WebhookReceiverOptions receiver,
    string secret,
    WebhookOptions options,
    ICutoverJournal journal,
    WebhookCursorStore cursors,
    HttpClient http,
    TimeProvider clock,
    ILogger log
)
{
    const int BatchSize = 200;
    const string Actor = "webhooks";

    /// <summary>
    /// Delivers until <paramref name="stop"/> (mid-retry: the event stays behind the cursor for the next start), or
    /// until the journal end <paramref name="drainTarget"/> names is passed once it is set.
    /// </summary>
    public async Task RunAsync(Func<long?> drainTarget, CancellationToken idle, CancellationToken stop)
    {
        // The journal creates its table on first use; the cursor's start reads that table.
        await journal.ReadAsync(new JournalQuery { Limit = 1 }, stop);
        var cursor = await cursors.GetOrStartAsync(
            receiver.Name,
            await cursors.JournalEndAsync(stop),
            clock.GetUtcNow(),
            stop
        );
        while (!stop.IsCancellationRequested)
        {
            var batch = await journal.ReadAsync(new JournalQuery { AfterSequence = cursor, Limit = BatchSize }, stop);
            var target = drainTarget();
            foreach (var entry in batch)
            {
                if (target is { } end && entry.Sequence > end)
                    return;
                if (WebhookEvents.Of(entry) is { } webhookEvent && receiver.Accepts(webhookEvent))
                {
                    await DeliverAsync(entry, webhookEvent, stop);
                    await cursors.AdvanceAsync(
                        receiver.Name,
                        entry.Sequence,
                        clock.GetUtcNow(),
                        CancellationToken.None
                    );
                }
                cursor = entry.Sequence;
            }
            if (batch.Count > 0)
                await cursors.AdvanceAsync(receiver.Name, cursor, clock.GetUtcNow(), CancellationToken.None);
            if (batch.Count == BatchSize)
                continue;
            if (drainTarget() is { } drained && cursor >= drained)
                return;
            try
            {
                await Task.Delay(options.PollInterval, clock, idle);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // Shutdown began: one more look, then drain what is left.
            }
        }
    }

    async Task DeliverAsync(JournalEntry entry, string webhookEvent, CancellationToken stop)
    {
        var body = WebhookBody.For(entry, webhookEvent, receiver.IsSlack);
        var eventId = WebhookEvents.IdOf(entry);
        var first = clock.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var watch = Stopwatch.StartNew();
            var (status, error) = await PostAsync(body, webhookEvent, eventId, attempt, stop);
            var delivered = status is >= 200 and < 300;
            var delay = Backoff(attempt);
            var outcome =
                delivered ? WebhookDeliveryPayload.Delivered
                : clock.GetElapsedTime(first) + delay > options.RetryFor ? WebhookDeliveryPayload.GaveUp
                : WebhookDeliveryPayload.Retrying;
            await journal.AppendAsync(
                JournalEvent.Of(
                    new WebhookDeliveryPayload(
                        receiver.Name,
                        eventId,
                        webhookEvent,
                        entry.Sequence,
                        attempt,
                        status,
                        delivered ? null : error ?? $"answered {status}",
                        outcome,
                        outcome == WebhookDeliveryPayload.Retrying ? delay.TotalMilliseconds : null,
                        Math.Round(watch.Elapsed.TotalMilliseconds, 1)
                    ),
                    Actor
                ) with
                {
                    Wave = entry.Wave,
                },
                CancellationToken.None
            );
            if (outcome == WebhookDeliveryPayload.Delivered)
                return;
            Telemetry.CutoverTelemetry.WebhookFailed(receiver.Name, outcome);
            if (outcome == WebhookDeliveryPayload.GaveUp)
            {
                log.LogWarning(
                    "Webhook {Event} {EventId} to {Receiver} given up after {Attempts} attempts: {Error}",
                    webhookEvent,
                    eventId,
                    receiver.Name,
                    attempt,
                    error ?? $"answered {status}"
                );
                return;
            }
            await Task.Delay(delay, clock, stop);
        }
    }

    async Task<(int? Status, string? Error)> PostAsync(
        byte[] body,
        string webhookEvent,
        string eventId,
        int attempt,
        CancellationToken stop
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(
            WebhookSignature.Header,
            WebhookSignature.HeaderValue(secret, clock.GetUtcNow(), body)
        );
        request.Headers.TryAddWithoutValidation(WebhookHeaders.EventId, eventId);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Event, webhookEvent);
        request.Headers.TryAddWithoutValidation(
            WebhookHeaders.Attempt,
            attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.AttemptTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return (null, $"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            // The message names host and port at most, never the URL's path (a chat webhook's path is its secret).
            return (
                null,
                e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}"
            );
        }
    }

    /// <summary>RetryBaseDelay doubled for each attempt after the first, at most RetryMaxDelay.</summary>
    TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(
            (long)Math.Min(options.RetryBaseDelay.Ticks * Math.Pow(2, attempt - 1), options.RetryMaxDelay.Ticks)
        );
}
