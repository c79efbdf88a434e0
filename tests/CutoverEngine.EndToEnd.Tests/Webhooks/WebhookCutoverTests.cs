using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Webhooks;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Webhooks;

/// <summary>Cutovers on the sandbox tell a signed-webhook receiver on loopback what people must hear.</summary>
public sealed class WebhookCutoverTests
{
    const string Secret = "e2e-webhook-secret";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_receiver_hears_of_the_budget_warnings_and_the_rollback_signed_after_a_retry()
    {
        await using var receiver = new LoopbackWebhookReceiver(Secret, n => n == 1 ? 500 : 200);
        await using var h = await CutoverHarness.StartAsync();
        var secretFile = Path.Combine(h.Directory, "webhook.secret");
        await File.WriteAllTextAsync(secretFile, Secret + "\n");
        h.EditSettings = s =>
        {
            s["Webhooks:Receivers:0:Name"] = "ops";
            s["Webhooks:Receivers:0:Url"] = receiver.Url;
            s["Webhooks:Receivers:0:SecretFile"] = secretFile;
            s["Webhooks:Receivers:0:Format"] = "slack";
            s["Webhooks:RetryBaseDelay"] = "00:00:00.100";
            s["Webhooks:PollInterval"] = "00:00:00.050";
        };
        var clock = new ShiftableClock();
        await h.StartEngineAsync(s =>
            s.AddSingleton(sp => ActivatorUtilities.CreateInstance<StepFrameServices>(sp, clock))
        );
        await Eventually.UntilAsync<long?>(
            () => h.Engine!.Services.GetRequiredService<WebhookCursorStore>().GetAsync("ops"),
            c => c is not null,
            Deadline,
            "the receiver's lane to start"
        );

        // initech-stg completes, umbrella-stg's new MTA greets with the wrong name and rolls back. Once both are
        // paused, the steps' clock jumps 50 minutes: 83 % of the 60-minute budget.
        var run = h.RunAsync("initech-stg", "umbrella-stg");
        await Eventually.TrueAsync(
            async () =>
                run.IsCompleted
                || (await h.Engine!.Journal.ReadAsync(new JournalQuery())).Count(e =>
                    e.Event == StepCompletedPayload.Event && e.Step == "pause-sending"
                ) == 2,
            Deadline,
            () => "both cutovers to record pause-sending completed"
        );
        clock.Shift(TimeSpan.FromMinutes(50));
        var outcomes = (await run).ToDictionary(r => r.EnvironmentId, r => r.Outcome);
        Assert.Equal(CutoverOutcomes.Completed, outcomes["initech-stg"]);
        Assert.Equal(CutoverOutcomes.RolledBack, outcomes["umbrella-stg"]);

        var received = await Eventually.UntilAsync(
            () => receiver.Received,
            r => r.Count(x => x.AnsweredStatus == 200) >= 3,
            Deadline,
            "two warnings and the rollback delivered",
            r => string.Join(", ", r.Select(x => $"{x.Event}:{x.AnsweredStatus}"))
        );
        var journal = await h.Engine!.Journal.ReadAsync(new JournalQuery());
        var warnings = journal.Where(e => e.Event == WindowBudgetWarningPayload.Event).ToList();
        Assert.Equal(["initech-stg", "umbrella-stg"], warnings.Select(w => w.Environment).Order());
        Assert.All(warnings, w => Assert.InRange(JournalPayload.Parse(w.Payload).Number("usedShare") ?? 0, 0.8, 1.0));
        var delivered = received.Where(r => r.AnsweredStatus == 200).ToList();
        Assert.Equal(
            [WebhookEvents.CutoverRolledBack, WebhookEvents.WindowBudgetWarning, WebhookEvents.WindowBudgetWarning],
            delivered.Select(r => r.Event).Order()
        );
        Assert.All(received, r => Assert.True(r.SignatureVerified, $"{r.Event} attempt {r.Attempt}: {r.Signature}"));
        // The first event was refused once and came again with the same id.
        Assert.Equal(500, received[0].AnsweredStatus);
        Assert.Equal(received[0].EventId, received[1].EventId);
        Assert.Equal("2", received[1].Attempt);
        var rollback = delivered.Single(r => r.Event == WebhookEvents.CutoverRolledBack).Json;
        Assert.Equal("umbrella-stg", rollback.GetProperty("environment").GetString());
        Assert.Contains("smtp-banner", rollback.GetProperty("data").GetProperty("cause").GetString());
        Assert.StartsWith(
            "[cutover] cutover-rolled-back umbrella-stg (wave e2e)",
            rollback.GetProperty("text").GetString()
        );
        var attempts = journal.Where(e => e.Event == WebhookDeliveryPayload.Event).ToList();
        Assert.Equal(received.Count, attempts.Count);
        Assert.DoesNotContain(journal, e => (e.Payload ?? "").Contains(Secret, StringComparison.Ordinal));
    }
}
