using System.Net;
using System.Net.Sockets;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

using static ServeProcess;

/// <summary>`cutover wave notify --smtp` as a process, against the sandbox's SMTP MTAs as the relay, and against a port nothing listens on.</summary>
public sealed class WaveNotifyCommandTests
{
    static async Task<long> NoticesAsync(CutoverHarness h)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM notices WHERE sent = 1";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Notices_are_recorded_only_when_the_relay_accepted_them()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var ids = h.Sandbox.Topology.Environments.Select(e => e.Id).Take(2).ToList();
        var created = await RunCliAsync(h, "wave", "create", "w-n", "--environments", string.Join(',', ids), "--planned-start", DateTimeOffset.UtcNow.AddDays(10).ToString("O"));
        Assert.True(created.ExitCode == 0, created.Stderr);

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var refused = await RunCliAsync(h, "wave", "notify", "w-n", "--smtp", $"127.0.0.1:{deadPort}", "--out", Path.Combine(h.Directory, "notices"));
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains($"NOT notified, nothing recorded: relay 127.0.0.1:{deadPort}", refused.Stderr);
        Assert.Equal(0, await NoticesAsync(h));

        var bad = await RunCliAsync(h, "wave", "notify", "w-n", "--smtp", "relay-without-port");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--smtp: 'relay-without-port' is not HOST:PORT", bad.Stderr);

        // The sandbox's data-centre MTA is a real SMTP server on loopback: it takes the notices with 250.
        var mta = h.Sandbox.Topology.Hosts.First(x => x.Site == "datacentre").Addresses[0];
        var before = h.Sandbox.Mail.Accepted;
        var sent = await RunCliAsync(h, "wave", "notify", "w-n", "--smtp", $"{mta}:{h.Sandbox.SmtpPort}", "--from", "migrations@example.test",
            "--out", Path.Combine(h.Directory, "notices"));
        Assert.True(sent.ExitCode == 0, sent.Stderr + sent.Stdout);
        Assert.Equal(before + ids.Count, h.Sandbox.Mail.Accepted);
        foreach (var id in ids) Assert.Contains($"{id}: ", sent.Stdout);
        Assert.Equal(ids.Count, await NoticesAsync(h));
        Assert.Contains("Window: ", await File.ReadAllTextAsync(Path.Combine(h.Directory, "notices", $"w-n-{ids[0]}.txt")));
    }
}
