using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Engine.Tests.Audit;
using CutoverEngine.Engine.Webhooks;
using CutoverEngine.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Tests.Webhooks;

/// <summary>The dispatcher against a real HTTP receiver on loopback that checks every signature.</summary>
public sealed class WebhookDispatcherTests : IDisposable
{
    const string Secret = "s3cret-never-journaled";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    WebhookOptions Options(string url, Action<WebhookReceiverOptions>? receiver = null)
    {
        var r = new WebhookReceiverOptions
        {
            Name = "ops",
            Url = url,
            Secret = Secret,
        };
        receiver?.Invoke(r);
        return new WebhookOptions
        {
            Receivers = [r],
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
    }

    async Task<WebhookDispatcher> StartAsync(WebhookOptions options)
    {
        var cursors = new WebhookCursorStore(db.Path);
        var dispatcher = new WebhookDispatcher(
            Microsoft.Extensions.Options.Options.Create(options),
            db.Journal,
            cursors,
            TimeProvider.System,
            NullLogger<WebhookDispatcher>.Instance
        );
        dispatcher.Start();
        // A receiver's lane starts at the journal's end: events journaled before it started are history.
        await Eventually.UntilAsync<long?>(
            () => cursors.GetAsync("ops"),
            c => c is not null,
            Deadline,
            "the receiver's cursor to be stored"
        );
        return dispatcher;
    }

    static JournalEvent Wave<TPayload>(TPayload payload, string? environment = null)
        where TPayload : IJournalPayload =>
        JournalEvent.Of(payload, "scheduler") with
        {
            Wave = "wave-1",
            Environment = environment,
        };

    async Task<IReadOnlyList<JournalPayload>> DeliveriesAsync() =>
        [
            .. (await db.Journal.ReadAsync(new JournalQuery()))
                .Where(e => e.Event == WebhookDeliveryPayload.Event)
                .Select(e => JournalPayload.Parse(e.Payload)),
        ];

    [Fact]
    public async Task A_500_is_retried_and_every_attempt_is_signed_and_journaled_without_the_secret()
    {
        await using var receiver = new LoopbackWebhookReceiver(Secret, n => n == 1 ? 500 : 200);
        await using var dispatcher = await StartAsync(Options(receiver.Url, r => r.Format = "slack"));

        await db.AppendAsync(Wave(new StepStartedPayload("Preflight", 60), "acme-stg"));
        var started = await db.AppendAsync(Wave(new WaveStartedPayload(null, TempJournal.Start)));
        var deliveries = await Eventually.UntilAsync<IReadOnlyList<JournalPayload>>(
            DeliveriesAsync,
            d => d.Count >= 2,
            Deadline,
            "two delivery attempts journaled",
            d => $"{d.Count} attempts"
        );

        var requests = receiver.Received;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(r.SignatureVerified, $"request {r.Number} signature {r.Signature}"));
        Assert.Equal([500, 200], requests.Select(r => r.AnsweredStatus));
        Assert.Equal(["1", "2"], requests.Select(r => r.Attempt));
        var id = WebhookEvents.IdOf(started);
        Assert.All(requests, r => Assert.Equal(id, r.EventId));
        var body = requests[1].Json;
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("wave-started", body.GetProperty("event").GetString());
        Assert.Equal("wave-1", body.GetProperty("wave").GetString());
        Assert.Equal(started.Sequence, body.GetProperty("sequence").GetInt64());
        Assert.StartsWith("[cutover] wave-started wave wave-1: started", body.GetProperty("text").GetString());

        Assert.Equal([1, 2], deliveries.Select(d => d.Integer("attempt")));
        Assert.Equal([500, 200], deliveries.Select(d => d.Integer("status")));
        Assert.Equal(
            [WebhookDeliveryPayload.Retrying, WebhookDeliveryPayload.Delivered],
            deliveries.Select(d => d.String("outcome"))
        );
        Assert.Equal(50, deliveries[0].Number("retryInMs"));
        Assert.All(deliveries, d => Assert.Equal("ops", d.String("receiver")));
        Assert.All(deliveries, d => Assert.Equal(id, d.String("eventId")));
        var journal = await db.Journal.ReadAsync(new JournalQuery());
        Assert.DoesNotContain(journal, e => (e.Payload ?? "").Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restarted_dispatcher_resumes_after_its_cursor_and_sends_nothing_twice()
    {
        await using var receiver = new LoopbackWebhookReceiver(Secret, _ => 200);
        var first = await StartAsync(Options(receiver.Url));
        var scheduled = await db.AppendAsync(Wave(new WaveScheduledPayload(TempJournal.Start, null, null)));
        await Eventually.UntilAsync(() => receiver.Received, r => r.Count == 1, Deadline, "the first event");
        await first.DisposeAsync();

        // Journaled while no dispatcher runs (e.g. by `cutover wave stop` between two engine runs).
        var stopped = await db.AppendAsync(Wave(new WaveStoppedPayload("operator asked")));
        await using var second = await StartAsync(Options(receiver.Url));
        await Eventually.UntilAsync(() => receiver.Received, r => r.Count >= 2, Deadline, "the second event");
        var missed = await db.AppendAsync(Wave(new WaveMissedPayload(null, TempJournal.Start, "00:15:00")));
        await Eventually.UntilAsync(() => receiver.Received, r => r.Count >= 3, Deadline, "the third event");

        Assert.Equal(
            [WebhookEvents.IdOf(scheduled), WebhookEvents.IdOf(stopped), WebhookEvents.IdOf(missed)],
            receiver.Received.Select(r => r.EventId)
        );
    }

    [Fact]
    public async Task A_receiver_gets_only_the_events_it_asked_for_and_an_incident_is_named_by_its_outcome()
    {
        await using var receiver = new LoopbackWebhookReceiver(Secret, _ => 200);
        await using var dispatcher = await StartAsync(
            Options(receiver.Url, r => r.Events = [WebhookEvents.CutoverRolledBack, WebhookEvents.NoticeSent])
        );

        await db.AppendAsync(Wave(new WaveStartedPayload(null, TempJournal.Start)));
        await db.AppendAsync(Wave(new CustomerNotifiedPayload("Acme Corp", TempJournal.Start, "n.eml", false)));
        var incident = await db.AppendAsync(
            Wave(
                new IncidentPayload(
                    CutoverOutcomes.RolledBack,
                    "verification failing: smtp-banner",
                    "verify",
                    [],
                    new Downtime(null, null, 80, null, null, null, null, 3600, null, false, null)
                ),
                "acme-stg"
            )
        );
        var sent = await db.AppendAsync(Wave(new CustomerNotifiedPayload("Acme Corp", TempJournal.Start, null, true)));
        await Eventually.UntilAsync(() => receiver.Received, r => r.Count >= 2, Deadline, "two events");

        Assert.Equal(
            [WebhookEvents.CutoverRolledBack, WebhookEvents.NoticeSent],
            receiver.Received.Select(r => r.Event)
        );
        Assert.Equal(
            [WebhookEvents.IdOf(incident), WebhookEvents.IdOf(sent)],
            receiver.Received.Select(r => r.EventId)
        );
        var data = receiver.Received[0].Json.GetProperty("data");
        Assert.Equal("verification failing: smtp-banner", data.GetProperty("cause").GetString());
        Assert.Equal("acme-stg", receiver.Received[0].Json.GetProperty("environment").GetString());
    }

    [Fact]
    public async Task An_event_is_given_up_once_RetryFor_is_spent_and_the_next_event_still_goes_out()
    {
        var failing = true;
        await using var receiver = new LoopbackWebhookReceiver(Secret, _ => Volatile.Read(ref failing) ? 503 : 200);
        var options = Options(receiver.Url);
        options.RetryFor = TimeSpan.FromMilliseconds(300);
        await using var dispatcher = await StartAsync(options);

        var lost = await db.AppendAsync(Wave(new WaveStoppedPayload("first")));
        var deliveries = await Eventually.UntilAsync<IReadOnlyList<JournalPayload>>(
            DeliveriesAsync,
            d => d.Any(x => x.String("outcome") == WebhookDeliveryPayload.GaveUp),
            Deadline,
            "the event given up",
            d => string.Join(", ", d.Select(x => x.String("outcome")))
        );
        Volatile.Write(ref failing, false);
        var next = await db.AppendAsync(Wave(new WaveStoppedPayload("second")));
        await Eventually.UntilAsync(
            () => receiver.Received,
            r => r.Any(x => x.EventId == WebhookEvents.IdOf(next)),
            Deadline,
            "the next event"
        );

        // Retried with the backoff doubling from 50 ms until the next wait would pass RetryFor; then given up once.
        Assert.All(deliveries, d => Assert.Equal(WebhookEvents.IdOf(lost), d.String("eventId")));
        Assert.True(deliveries.Count >= 2, $"{deliveries.Count} attempts");
        Assert.Equal(
            [
                .. Enumerable.Repeat(WebhookDeliveryPayload.Retrying, deliveries.Count - 1),
                WebhookDeliveryPayload.GaveUp,
            ],
            deliveries.Select(d => d.String("outcome"))
        );
        Assert.Equal(
            Enumerable.Range(0, deliveries.Count - 1).Select(i => 50 * Math.Pow(2, i)),
            deliveries.SkipLast(1).Select(d => d.Number("retryInMs") ?? 0)
        );
        Assert.All(deliveries, d => Assert.Equal(503, d.Integer("status")));
    }

    [Fact]
    public void Unusable_settings_are_refused_naming_each_setting_and_never_the_secret()
    {
        var options = new WebhookOptions
        {
            Receivers =
            [
                new()
                {
                    Name = "chat",
                    Url = "ftp://example.org/x",
                    Secret = Secret,
                    Events = ["wave-exploded"],
                },
                new()
                {
                    Name = "chat",
                    Url = "https://example.org/h",
                    SecretEnv = "CUTOVER_TEST_UNSET_WEBHOOK_SECRET",
                },
            ],
        };

        var e = Assert.Throws<OptionsValidationException>(() =>
            new WebhookDispatcher(
                Microsoft.Extensions.Options.Options.Create(options),
                db.Journal,
                new WebhookCursorStore(db.Path),
                TimeProvider.System,
                NullLogger<WebhookDispatcher>.Instance
            )
        );

        Assert.Contains(e.Failures, f => f.StartsWith("Webhooks:Receivers:0:Url: 'ftp://example.org/x'"));
        Assert.Contains(e.Failures, f => f.StartsWith("Webhooks:Receivers:0:Events: 'wave-exploded'"));
        Assert.Contains(e.Failures, f => f.StartsWith("Webhooks:Receivers:1:SecretEnv: the environment variable"));
        Assert.Contains(e.Failures, f => f.StartsWith("Webhooks:Receivers:1:Name: 'chat' names another receiver"));
        Assert.DoesNotContain(Secret, e.Message);
    }
}
