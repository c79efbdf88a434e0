using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.Sandbox.SendingControl;
using CutoverEngine.Sandbox.Tests.Mail;
using CutoverEngine.Testing;

namespace CutoverEngine.Sandbox.Tests.SendingControl;

/// <summary>
/// The whole mail path for real on loopback: generator, queue, DNS query to the sandbox's responder, SMTP to whichever
/// MTA owns the address. A cutover (pause, associate the Elastic IP, repoint DNS, resume) must lose nothing, duplicate
/// nothing, and send everything after the resume to the AWS host only.
/// </summary>
public sealed class CutoverMailFlowTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Mail_across_a_cutover_is_neither_lost_nor_duplicated_and_goes_to_the_new_host_after_resume()
    {
        await using var sandbox = await SandboxHost.StartAsync(
            MailTopology.Build(messagesPerSecond: 250),
            new SandboxRunOptions { SmtpPort = 0, GenerateMail = true }
        );
        var env = sandbox.SendingControl.Environment(MailTopology.EnvironmentId);
        var dc = MailTopology.DcAddress.ToString();
        var eip = MailTopology.ElasticIp.ToString();

        // Before: mail flows to the data-centre MTA.
        await Eventually.TrueAsync(
            () => env.Status().Delivered >= 100,
            Deadline,
            () => $"100 deliveries before the cutover; {Describe(env.Status())}"
        );

        // Pause over HTTP, as the engine will.
        using var http = new HttpClient { BaseAddress = sandbox.SendingControlEndpoint };
        using var pauseResponse = await http.PostAsJsonAsync(
            $"environments/{MailTopology.EnvironmentId}/pause",
            new
            {
                leaseSeconds = 60,
                reason = "cutover test",
                requestId = "cutover-1",
            }
        );
        pauseResponse.EnsureSuccessStatusCode();
        var paused = await pauseResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.False(paused.GetProperty("inFlight").GetBoolean()); // the pause waited for the in-flight message
        var dcAtPause = sandbox.Mail.ForHost(MailTopology.DcHostId).Accepted;
        var deliveredAtPause = env.Status().Delivered;
        Assert.Equal(deliveredAtPause, dcAtPause);

        // While paused: repoint the address and the name; mail keeps being produced into the queue.
        MailTopology.AssociateElasticIp(sandbox.World);
        MailTopology.PointMtaAtElasticIp(sandbox.World);
        var producedAtPause = paused.GetProperty("produced").GetInt64();
        await Eventually.TrueAsync(
            () => env.Status().Produced >= producedAtPause + 50,
            Deadline,
            () => $"mail produced while paused; {Describe(env.Status())}"
        );
        Assert.Equal(deliveredAtPause, env.Status().Delivered);
        Assert.Equal(dcAtPause, sandbox.Mail.ForHost(MailTopology.DcHostId).Accepted);
        Assert.Equal(0, sandbox.Mail.ForHost(MailTopology.AwsHostId).Accepted); // nothing was handed to any MTA

        using var resumeResponse = await http.PostAsync($"environments/{MailTopology.EnvironmentId}/resume", null);
        resumeResponse.EnsureSuccessStatusCode();
        var resumed = await resumeResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("resumed", resumed.GetProperty("outcome").GetString());
        var producedAtResume = resumed.GetProperty("produced").GetInt64();

        // After: the backlog and new mail drain to the AWS host; then stop producing and let the queue empty.
        await Eventually.TrueAsync(
            () => env.Status().Produced >= producedAtResume + 100,
            Deadline,
            () => $"mail produced after the resume; {Describe(env.Status())}"
        );
        env.GeneratorEnabled = false;
        await Eventually.TrueAsync(
            () => env.Status() is { QueueDepth: 0, InFlight: false },
            Deadline,
            () => $"the queue to drain; {Describe(env.Status())}"
        );
        var end = env.Status();
        var ledger = sandbox.Mail;

        // Nothing lost: everything produced was delivered and accepted by an MTA, exactly once.
        Assert.Equal(end.Produced, end.Delivered);
        Assert.Equal(end.Produced, ledger.Accepted);
        Assert.Equal(0, ledger.Duplicates);
        Assert.Empty(ledger.DuplicatedMessageIds());
        var deliveries = env.Deliveries();
        Assert.Equal(end.Produced, deliveries.Count);
        Assert.Equal(
            Enumerable.Range(1, (int)end.Produced).Select(i => (long)i),
            deliveries.Select(d => d.Sequence).Order()
        );
        Assert.All(deliveries, d => Assert.Equal(1, ledger.TimesAccepted(d.MessageId)));

        // The old host got exactly what was delivered before the pause; everything else went to the new one.
        var dcJournal = ledger.ForHost(MailTopology.DcHostId);
        var awsJournal = ledger.ForHost(MailTopology.AwsHostId);
        Assert.Equal(dcAtPause, dcJournal.Accepted);
        Assert.Equal(end.Delivered - dcAtPause, awsJournal.Accepted);
        Assert.Equal(dcJournal.Accepted, sandbox.World.Hosts[MailTopology.DcHostId].MessagesAccepted);
        Assert.Equal(awsJournal.Accepted, sandbox.World.Hosts[MailTopology.AwsHostId].MessagesAccepted);
        Assert.Equal(dcAtPause, end.DeliveredByAddress[dc]);
        Assert.Equal(awsJournal.Accepted, end.DeliveredByAddress[eip]);
        Assert.Equal(dcAtPause, end.DeliveredByHost[MailTopology.DcHostId]);
        Assert.Equal(awsJournal.Accepted, end.DeliveredByHost[MailTopology.AwsHostId]);

        // Mail produced during the pause or after the resume reached only the Elastic IP and the AWS host.
        var afterPause = deliveries.Where(d => d.Sequence > producedAtPause).ToList();
        Assert.True(afterPause.Count >= 150, $"expected at least 150 messages after the pause, got {afterPause.Count}");
        Assert.All(
            afterPause,
            d =>
            {
                Assert.Equal(eip, d.Address);
                Assert.Equal(MailTopology.AwsHostId, d.HostId);
                Assert.Contains(d.MessageId, awsJournal.MessageIds);
            }
        );
        Assert.Empty(dcJournal.MessageIds.Intersect(awsJournal.MessageIds));

        var pause = Assert.Single(end.Pauses);
        Assert.Equal("api", pause.ResumedBy);
        Assert.Equal("cutover-1", pause.RequestId);
        Assert.Equal(dcAtPause, pause.DeliveredAtPause);
        Assert.Equal(producedAtResume, pause.ProducedAtResume);
        Assert.Equal(
            pause.QueueDepthAtPause + (pause.ProducedAtResume - pause.ProducedAtPause),
            pause.QueueDepthAtResume
        );
        Assert.True(pause.QueueDepthAtResume >= 50);
        Assert.NotNull(pause.FirstDeliveryAfterResumeAt);
        Assert.True(pause.FirstDeliveryAfterResumeAt >= pause.ResumedAt);
        Assert.NotNull(end.LastDeliveryAt);
    }

    static string Describe(SendingStatus s) =>
        $"produced {s.Produced}, delivered {s.Delivered}, queued {s.QueueDepth}, failed attempts {s.FailedAttempts}, last failure: {s.LastFailure ?? "none"}";
}
