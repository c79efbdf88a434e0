using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

using static ServeProcess;

/// <summary>`cutover wave schedule` with Waves:Notice:Smtp:Relay set: the notices go out as the wave is
/// scheduled, or the wave stays unscheduled.</summary>
public sealed class WaveScheduleNoticesCommandTests
{
    static Task<(int ExitCode, string Stdout, string Stderr)> WithRelayAsync(
        CutoverHarness h,
        string relay,
        params string[] args
    )
    {
        var config = h.WriteConfigFile(c =>
            c["Waves"] = new JsonObject
            {
                ["Notice"] = new JsonObject { ["Smtp"] = new JsonObject { ["Relay"] = relay } },
            }
        );
        return RunCutoverAsync(h, [.. args, "--inventory", h.WriteInventoryFile(), "--config", config]);
    }

    [Fact]
    public async Task Scheduling_sends_the_notices_through_the_relay_or_exits_4_leaving_the_wave_a_draft()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var env = h.Sandbox.Topology.Environments.First(e => e.Id.EndsWith("-stg", StringComparison.Ordinal)).Id;
        var at = DateTimeOffset.UtcNow.AddDays(10).ToString("O");
        var created = await RunCliAsync(h, "wave", "create", "w-s", "--environments", env, "--planned-start", at);
        Assert.True(created.ExitCode == 0, created.Stderr);

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var refused = await WithRelayAsync(h, $"127.0.0.1:{deadPort}", "wave", "schedule", "w-s", "--at", at);
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains($"the notice of {env} was not sent: relay 127.0.0.1:{deadPort}", refused.Stderr);
        Assert.Contains("draft", (await RunCliAsync(h, "wave", "show", "w-s")).Stdout);

        var mta = h.Sandbox.Topology.Hosts.First(x => x.Site == "datacentre").Addresses[0];
        var before = h.Sandbox.Mail.Accepted;
        var scheduled = await WithRelayAsync(h, $"{mta}:{h.Sandbox.SmtpPort}", "wave", "schedule", "w-s", "--at", at);
        Assert.True(scheduled.ExitCode == 0, scheduled.Stderr);
        Assert.Equal(before + 1, h.Sandbox.Mail.Accepted);
        Assert.Contains("scheduled", (await RunCliAsync(h, "wave", "show", "w-s")).Stdout);
    }
}
