using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers.BlastRadius;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Sandbox.World;
using CutoverEngine.Server.Reports;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// The blast radius proved on the sandbox: after each cutover the zone and the account's addresses are compared with
/// the snapshot. A record nobody intended, changed in acme's zone while acme-stg is paused, is reported as outside
/// the intended change; acme-dev's own changes in the same zone are not counted against acme-stg; globex-stg, in
/// another zone, is clean.
/// </summary>
public sealed class BlastRadiusCutoverTests
{
    [Fact]
    public async Task A_record_changed_while_paused_is_outside_the_intended_and_a_clean_cutover_reports_none()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 6);
        var zoneId = h.Inventory.Environments.Single(e => e.Id == "acme-stg").HostedZone.Id;
        Assert.Equal(zoneId, h.Inventory.Environments.Single(e => e.Id == "acme-dev").HostedZone.Id);
        Assert.NotEqual(zoneId, h.Inventory.Environments.Single(e => e.Id == "globex-stg").HostedZone.Id);
        var zone = h.Sandbox.World.AllZones.Single(z => z.Id == zoneId);
        var unrelated = DnsName.Normalize("unrelated." + zone.Name);

        // The test hook: as soon as acme-stg's sending is paused, someone changes a record in its zone by hand.
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var changedWhilePaused = Task.Run(
            async () =>
            {
                var acme = h.Sandbox.SendingControl.Environment("acme-stg");
                while (!acme.Status().Paused)
                    await Task.Delay(20, stop.Token);
                lock (h.Sandbox.World.Gate)
                {
                    var now = h.Sandbox.World.Now;
                    var set = new RecordSet(unrelated, "TXT", 300, ["\"hand-edited\""]);
                    zone.Apply(zone.Current.SetItem(set.Key, set), "C-BY-HAND", "by hand", now, now);
                }
                return acme.Status().Paused;
            },
            stop.Token
        );

        var results = await h.RunAsync("acme-dev", "acme-stg", "globex-stg");
        Assert.True(await changedWhilePaused, "the record was changed after acme-stg resumed");

        var history = await new JournalHistoryReader(
            new SqliteJournal(h.DatabasePath, TimeProvider.System)
        ).ReadWaveAsync("e2e");
        var report = WaveReport.From(history!, DateTimeOffset.UtcNow);
        var outside = new OutsideChange(
            OutsideChange.Record,
            unrelated.TrimEnd('.') + " TXT",
            "(absent)",
            "ttl 300 [\"hand-edited\"]"
        );

        var acmeStg = report.Environments.Single(e => e.Environment == "acme-stg").BlastRadius;
        Assert.NotNull(acmeStg);
        Assert.Null(acmeStg.Error);
        Assert.Equal([outside], acmeStg.Outside);
        // acme-dev moved in the same zone at the same time: its changes are its own, never outside for either.
        var acmeDev = report.Environments.Single(e => e.Environment == "acme-dev").BlastRadius;
        Assert.NotNull(acmeDev);
        Assert.All(acmeDev.Outside, o => Assert.Equal(outside, o));

        var globex = report.Environments.Single(e => e.Environment == "globex-stg").BlastRadius;
        Assert.NotNull(globex);
        Assert.Null(globex.Error);
        Assert.Empty(globex.Outside);
        Assert.True(globex.RecordSetsCompared > 0 && globex.AddressesCompared > 0);

        var html = await WaveReportHtml.RenderAsync(report);
        Assert.Contains("<h2>Changes outside the intended</h2>", html);
        Assert.Contains("unrelated.", html);
        Assert.Contains("only the intended records and addresses changed", html);
        Assert.Equal(3, results.Count);
    }
}
