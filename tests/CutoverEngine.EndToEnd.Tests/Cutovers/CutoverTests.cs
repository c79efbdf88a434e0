using System.Net;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>Whole cutovers through the engine against the sandbox, asserted on the sandbox's own state and
/// counters.</summary>
public sealed class CutoverTests
{
    static string LiveA(CutoverHarness h, string name)
    {
        var answer = h.Sandbox.World.ResolveAuthoritative(name, "A");
        return string.Join(",", answer.Records.SelectMany(r => r.Values));
    }

    static async Task DrainAsync(CutoverHarness h, string environmentId)
    {
        var env = h.Sandbox.SendingControl.Environment(environmentId);
        env.GeneratorEnabled = false;
        await Eventually.UntilAsync(
            () => env.Status().QueueDepth,
            depth => depth == 0,
            TimeSpan.FromSeconds(90),
            $"{environmentId}'s queue to drain",
            depth => $"{depth} still queued"
        );
    }

    /// <summary>Every message produced reached exactly one MTA, and after the resume only the expected host.</summary>
    static void AssertMailMovedTo(CutoverHarness h, string environmentId, string hostPrefix)
    {
        var env = h.Sandbox.SendingControl.Environment(environmentId);
        var status = env.Status();
        Assert.Equal(status.Produced, status.Delivered);
        Assert.Equal(0, h.Sandbox.Mail.Duplicates);
        var pause = Assert.Single(status.Pauses);
        Assert.Equal("api", pause.ResumedBy);
        var after = env.Deliveries().Where(d => d.DeliveredAt > pause.ResumedAt).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, d => Assert.StartsWith(hostPrefix, d.HostId));
        // The pause waits for the one message in flight; nothing else is handed over until the resume.
        Assert.True(
            env.Deliveries().Count(d => d.DeliveredAt > pause.PausedAt && d.DeliveredAt < pause.ResumedAt) <= 1
        );
    }

    [Fact]
    public async Task An_elastic_ip_environment_moves_its_addresses_records_and_mail_to_aws()
    {
        await using var h = await CutoverHarness.StartAsync();
        var result = Assert.Single(await h.RunAsync("acme-stg"));

        Assert.True(result.Outcome == "completed", result.RollbackCause);
        Assert.Equal("127.20.1.11", LiveA(h, "mta1.stg.acme-mail.example"));
        var owner = h.Sandbox.World.OwnerOf(IPAddress.Parse("127.20.1.11"));
        Assert.Equal("aws-acme-stg-mta1", owner?.Id);
        var ptr = h.Sandbox.World.ResolveAuthoritative("11.1.20.127.in-addr.arpa", "PTR");
        Assert.Equal("mta1.stg.acme-mail.example.", Assert.Single(ptr.Records).Values[0]);
        Assert.NotNull(result.Downtime.DowntimeSeconds);
        Assert.NotNull(result.Downtime.SendingGapSeconds);
        Assert.True(result.Downtime.DowntimeSeconds > 0);
        Assert.All(result.LastChecks, c => Assert.True(c.Passed, $"{c.Check} {c.Subject}: {c.Observed}"));
        // Propagation is watched on the authoritative servers, not by spending the Route 53 quota on GetChange.
        Assert.True(h.Sandbox.Metrics.For("111111111111", "route53", "GetChange").Accepted <= 1);

        await DrainAsync(h, "acme-stg");
        AssertMailMovedTo(h, "acme-stg", "aws-");
    }

    [Fact]
    public async Task A_byoip_environment_advertises_its_range_and_keeps_its_addresses()
    {
        await using var h = await CutoverHarness.StartAsync();
        var result = Assert.Single(await h.RunAsync("globex-stg"));

        Assert.True(result.Outcome == "completed", result.RollbackCause);
        Assert.Equal("127.30.4.11", LiveA(h, "mta1.stg.globex-mail.example"));
        lock (h.Sandbox.World.Gate)
            Assert.Equal(
                "advertised",
                h.Sandbox.World.Accounts["222222222222"].ByoipRanges["127.30.4.0/24"].StateAt(h.Sandbox.World.Now)
            );
        Assert.Equal("aws-globex-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.30.4.11"))?.Id);

        await DrainAsync(h, "globex-stg");
        AssertMailMovedTo(h, "globex-stg", "aws-");
    }

    [Fact]
    public async Task A_failed_verification_restores_dns_and_ips_and_resumes_sending_on_the_old_mta()
    {
        await using var h = await CutoverHarness.StartAsync();
        var result = Assert.Single(await h.RunAsync("umbrella-stg"));

        Assert.Equal("rolled-back", result.Outcome);
        Assert.Contains("smtp-banner", result.RollbackCause);
        Assert.Equal("127.10.10.11", LiveA(h, "mta1.stg.umbrella-mail.example"));
        Assert.Equal("dc-umbrella-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.10.10.11"))?.Id);
        Assert.Null(h.Sandbox.World.OwnerOf(IPAddress.Parse("127.20.10.11")));
        Assert.False(h.Sandbox.SendingControl.Environment("umbrella-stg").Status().Paused);

        await DrainAsync(h, "umbrella-stg");
        AssertMailMovedTo(h, "umbrella-stg", "dc-");
    }

    [Fact]
    public async Task A_cutover_paused_longer_than_its_window_budget_rolls_back()
    {
        await using var h = await CutoverHarness.StartAsync();
        var clock = new ShiftableClock();
        await h.StartEngineAsync(s =>
            s.AddSingleton(sp => ActivatorUtilities.CreateInstance<StepFrameServices>(sp, clock))
        );
        var env = h.Sandbox.SendingControl.Environment("initech-stg");
        var run = h.RunAsync("initech-stg");
        // Once the engine has recorded its pause, its clock jumps past the 60-minute budget.
        await Eventually.TrueAsync(
            async () =>
                run.IsCompleted
                || (
                    await h.Engine!.Journal.ReadAsync(
                        new CutoverEngine.Engine.Audit.JournalQuery { Environment = "initech-stg" }
                    )
                ).Any(e =>
                    e.Event == CutoverEngine.Engine.Audit.Events.StepCompletedPayload.Event && e.Step == "pause-sending"
                ),
            TimeSpan.FromSeconds(30),
            () => "the journal to record initech-stg's pause-sending completed"
        );
        clock.Shift(TimeSpan.FromMinutes(61));
        var result = Assert.Single(await run);

        var journal = await h.Engine!.Journal.ReadAsync(
            new CutoverEngine.Engine.Audit.JournalQuery { Environment = "initech-stg" }
        );
        Assert.True(
            result.Outcome == "rolled-back",
            $"paused at {result.Downtime.PausedAt:HH:mm:ss.fff}, resumed at {result.Downtime.ResumedAt:HH:mm:ss.fff}, clock now {clock.GetUtcNow():HH:mm:ss.fff}\n"
                + string.Join("\n", journal.Select(j => $"{j.At:HH:mm:ss.fff} {j.Event} {j.Step}"))
        );
        Assert.Contains("window budget", result.RollbackCause);
        Assert.Equal("127.10.7.11", LiveA(h, "mta1.stg.initech-mail.example"));
        Assert.False(env.Status().Paused);
    }

    [Fact]
    public async Task Cutovers_of_several_environments_run_at_once_and_each_ends_as_designed()
    {
        await using var h = await CutoverHarness.StartAsync();
        var results = await h.RunAsync("acme-dev", "acme-stg", "globex-dev", "umbrella-stg", "hooli-dev");
        var outcome = results.ToDictionary(r => r.EnvironmentId, r => r.Outcome);
        Assert.Equal("completed", outcome["acme-dev"]);
        Assert.Equal("completed", outcome["acme-stg"]);
        Assert.Equal("completed", outcome["globex-dev"]);
        Assert.Equal("completed", outcome["hooli-dev"]);
        Assert.Equal("rolled-back", outcome["umbrella-stg"]);
    }
}

/// <summary>The system clock plus an offset that a test can move forward.</summary>
public sealed class ShiftableClock : TimeProvider
{
    long _offsetTicks;

    public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() =>
        System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
