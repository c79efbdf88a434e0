using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.EndToEnd.Tests.Serve;

using static ServeProcess;

/// <summary>`cutover wave notify --smtp` as a process, against the sandbox's SMTP MTAs as the relay, and against a port
/// nothing listens on.</summary>
public sealed class WaveNotifyCommandTests
{
    static async Task<long> NoticesAsync(CutoverHarness h)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM notices";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A planned start on a whole minute, ten days ahead, so the stated HH:mm are exact.</summary>
    static DateTimeOffset PlannedStart =>
        new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(10).AddHours(8);

    [Fact]
    public async Task Notices_are_recorded_only_when_the_relay_accepted_them()
    {
        // A budget other than the default, so the windows can only come from the definition the engine is configured
        // with.
        await using var h = await CutoverHarness.StartAsync(
            environments: 3,
            definition: d => d["windowBudgetMinutes"] = 50
        );
        var ids = h.Sandbox.Topology.Environments.Select(e => e.Id).Take(2).ToList();
        var planned = PlannedStart;
        var created = await RunCliAsync(
            h,
            "wave",
            "create",
            "w-n",
            "--environments",
            string.Join(',', ids),
            "--planned-start",
            planned.ToString("O"),
            "--parallel",
            "1"
        );
        Assert.True(created.ExitCode == 0, created.Stderr);

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var refused = await RunCliAsync(
            h,
            "wave",
            "notify",
            "w-n",
            "--smtp",
            $"127.0.0.1:{deadPort}",
            "--out",
            Path.Combine(h.Directory, "notices")
        );
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains($"NOT notified, nothing recorded: relay 127.0.0.1:{deadPort}", refused.Stderr);
        Assert.Equal(0, await NoticesAsync(h));

        var bad = await RunCliAsync(h, "wave", "notify", "w-n", "--smtp", "relay-without-port");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--smtp: 'relay-without-port' is not HOST:PORT", bad.Stderr);

        // The sandbox's data-centre MTA is a real SMTP server on loopback: it takes the notices with 250.
        var mta = h.Sandbox.Topology.Hosts.First(x => x.Site == "datacentre").Addresses[0];
        var before = h.Sandbox.Mail.Accepted;
        var sent = await RunCliAsync(
            h,
            "wave",
            "notify",
            "w-n",
            "--smtp",
            $"{mta}:{h.Sandbox.SmtpPort}",
            "--from",
            "migrations@example.test",
            "--out",
            Path.Combine(h.Directory, "notices")
        );
        Assert.True(sent.ExitCode == 0, sent.Stderr + sent.Stdout);
        Assert.Equal(before + ids.Count, h.Sandbox.Mail.Accepted);
        foreach (var id in ids)
            Assert.Contains($"{id}: ", sent.Stdout);
        Assert.Equal(ids.Count, await NoticesAsync(h));

        // Parallel 1, tier order (development, then staging), no inventory override: the first closes one definition
        // budget after the start, the second two.
        var budget = DefinitionLoader.LoadDirectory(h.WorkflowsDirectory).Latest("cutover").WindowBudget;
        for (var position = 0; position < ids.Count; position++)
        {
            var closes = planned + budget * (position + 1);
            var text = await File.ReadAllTextAsync(Path.Combine(h.Directory, "notices", $"w-n-{ids[position]}.txt"));
            Assert.Contains(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"sending paused for at most {budget.TotalMinutes} minutes between {planned:HH:mm} and {closes:HH:mm} UTC on {planned:yyyy-MM-dd}"
                ),
                text
            );
        }
    }

    [Fact]
    public async Task A_wave_with_an_environment_without_contacts_is_refused_with_exit_2_and_nothing_sent_or_recorded()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var ids = h.Sandbox.Topology.Environments.Select(e => e.Id).Take(2).ToList();
        var created = await RunCliAsync(
            h,
            "wave",
            "create",
            "w-c",
            "--environments",
            string.Join(',', ids),
            "--planned-start",
            PlannedStart.ToString("O")
        );
        Assert.True(created.ExitCode == 0, created.Stderr);
        // The same inventory without its customers section: nobody to notify.
        var lines = File.ReadAllLines(h.WriteInventoryFile()).ToList();
        var from = lines.IndexOf("customers:");
        var to = lines.IndexOf("environments:");
        Assert.True(from >= 0 && to > from, "the generated inventory has a customers section before its environments");
        lines.RemoveRange(from, to - from);
        var inventory = Path.Combine(h.Directory, "no-contacts.yaml");
        await File.WriteAllLinesAsync(inventory, lines);

        var mta = h.Sandbox.Topology.Hosts.First(x => x.Site == "datacentre").Addresses[0];
        var before = h.Sandbox.Mail.Accepted;
        var outDir = Path.Combine(h.Directory, "notices-c");
        var refused = await RunCliWithInventoryAsync(
            h,
            inventory,
            "wave",
            "notify",
            "w-c",
            "--smtp",
            $"{mta}:{h.Sandbox.SmtpPort}",
            "--out",
            outDir
        );

        Assert.Equal(2, refused.ExitCode);
        foreach (var id in ids)
            Assert.Contains(id, refused.Stderr);
        Assert.Contains("no contacts", refused.Stderr);
        Assert.Equal(before, h.Sandbox.Mail.Accepted);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(0, await NoticesAsync(h));
    }
}
