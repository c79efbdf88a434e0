using System.Net;
using CutoverEngine.Sandbox.SendingControl;
using CutoverEngine.Sandbox.Tests.Mail;
using CutoverEngine.Sandbox.World;
using CutoverEngine.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.SendingControl;

public sealed class MailGeneratorTests
{
    [Fact]
    public async Task The_generator_produces_at_the_rate_of_the_world_clock_paused_or_not()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var world = new SandboxWorld(MailTopology.Build(messagesPerSecond: 5), clock);
        await using var server = new SendingControlServer(
            world,
            new IPEndPoint(IPAddress.Loopback, 9),
            smtpPort: 9,
            generateMail: true
        );
        var start = clock.GetUtcNow();
        await server.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        var env = server.Environment(MailTopology.EnvironmentId);
        await env.PauseAsync(leaseSeconds: 3600, reason: "hold the queue");

        // The generator's timer runs on the fake clock: nothing happens until the clock moves.
        Assert.Equal(0, env.Status().Produced);
        await Eventually.TrueAsync(
            () =>
            {
                if (env.Status().Produced >= 10)
                    return true;
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return false;
            },
            TimeSpan.FromSeconds(10),
            () => $"10 messages produced; {env.Status().Produced} so far"
        );

        var status = env.Status();
        var elapsed = (clock.GetUtcNow() - start).TotalSeconds;
        Assert.InRange(status.Produced, 10, (long)Math.Floor(elapsed * 5));
        Assert.True(status.Paused);
        Assert.Equal(0, status.Delivered);
        Assert.Equal(status.Produced, status.QueueDepth); // paused: everything waits

        var queued = env.Queued();
        Assert.Equal(Enumerable.Range(1, queued.Count).Select(i => (long)i), queued.Select(m => m.Sequence));
        Assert.Equal(queued.Count, queued.Select(m => m.MessageId).Distinct().Count());
        Assert.All(
            queued,
            m =>
            {
                Assert.Matches(@"^<\d{8}\.[0-9a-f]{8}\.acme-prod@acme-mail\.example>$", m.MessageId);
                Assert.Contains($"\r\nMessage-ID: {m.MessageId}\r\n", m.Data);
                Assert.EndsWith("\r\n", m.Data);
            }
        );

        // Switched off, the generator stops; switched on again it goes on at the rate without a burst for the gap.
        env.GeneratorEnabled = false;
        var before = env.Status().Produced;
        clock.Advance(TimeSpan.FromSeconds(60));
        env.GeneratorEnabled = true;
        await Eventually.TrueAsync(
            () =>
            {
                if (env.Status().Produced > before)
                    return true;
                clock.Advance(TimeSpan.FromMilliseconds(200));
                return false;
            },
            TimeSpan.FromSeconds(10),
            () => "production to go on after the generator was switched on again"
        );
        Assert.True(
            env.Status().Produced - before < 20,
            $"a burst of {env.Status().Produced - before} messages after re-enabling"
        );
    }
}
