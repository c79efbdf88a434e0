using System.Net;
using CutoverEngine.Domain.Waves;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Finalisation;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Reverts;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Sending.Verification;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Finalise;

/// <summary>
/// Finalise on the sandbox after a real wave: the TTLs prepare lowered go back to what it remembered, the
/// data-centre range leaves SPF, the old address is listed unused, and from then on a revert is refused; a BYOIP
/// range still announced from the data centre (the sandbox's looking glass, RIPEstat's format) blocks finalise until
/// it is withdrawn there, and the automatic finalise then completes by itself.
/// </summary>
public sealed class FinaliseEndToEndTests
{
    static async Task<CutoverHarness> StartAsync(Action<Dictionary<string, string?>> settings)
    {
        var h = await CutoverHarness.StartAsync(topology: t =>
        {
            foreach (var r in t.Accounts.SelectMany(a => a.HostedZones).SelectMany(z => z.Records))
                if (r.Type == "A" && r.Name.EndsWith(".stg.acme-mail.example", StringComparison.Ordinal))
                    r.Ttl = 3600;
        });
        h.EditSettings = settings;
        await h.StartEngineAsync(services => services.AddCutoverWaves(h.Configuration(), h.Inventory));
        return h;
    }

    static async Task RunWaveAsync(CutoverHarness h, string wave, string environment)
    {
        var waves = h.Engine!.Services.GetRequiredService<WaveService>();
        if (await waves.Store.FindAsync(wave) is null)
            await waves.CreateAsync(wave, [environment], DateTimeOffset.UtcNow, 1, WaveOrder.Explicit, "test");
        await waves.StartNowAsync(wave, "test", "end-to-end test: no notice period on the sandbox");
        await Eventually.UntilAsync(
            async () => (await waves.Store.GetAsync(wave)).State,
            s => s == WaveState.Completed,
            TimeSpan.FromMinutes(2),
            $"wave {wave} to complete"
        );
        Assert.Equal("completed", (await waves.Store.CutoversAsync(wave))[environment].Outcome);
    }

    [Fact]
    public async Task Finalise_restores_the_ttls_retires_the_old_range_from_spf_and_ends_revert()
    {
        await using var h = await StartAsync(s => s["Waves:Finalise:Soak"] = "01:00:00");
        var services = h.Engine!.Services;
        var waves = services.GetRequiredService<WaveService>();
        var prepared = services.GetRequiredService<PrepareStore>();
        await waves.CreateAsync(
            "w-fin",
            ["acme-stg"],
            DateTimeOffset.UtcNow.AddDays(30),
            1,
            WaveOrder.Explicit,
            "test"
        );
        var since = DateTimeOffset.UtcNow;
        await services.GetRequiredService<WavePreparation>().PrepareNowAsync("w-fin", "test");
        await Eventually.TrueAsync(
            async () => await prepared.ReadinessAsync("acme-stg") is { } r && r.CheckedAt >= since,
            TimeSpan.FromMinutes(2),
            () => "acme-stg to be prepared"
        );
        // The real dig against the sandbox's authoritative server, without recursion.
        async Task<long> TtlAsync() =>
            Assert
                .Single((await Dig.RunAsync(h.Sandbox.DnsEndpoint, "mta1.stg.acme-mail.example", "A", "+norec")).Answer)
                .Ttl;
        async Task<string> SpfAsync() =>
            Assert
                .Single((await Dig.RunAsync(h.Sandbox.DnsEndpoint, "stg.acme-mail.example", "TXT", "+norec")).Answer)
                .Data;
        Assert.Equal("\"v=spf1 ip4:127.10.1.0/24 ip4:127.20.1.0/24 -all\"", await SpfAsync());
        Assert.Equal(60, await TtlAsync());

        await RunWaveAsync(h, "w-fin", "acme-stg");
        Assert.Equal(60, await TtlAsync()); // the cutover keeps the lowered TTL

        // The automatic finalise is armed and sleeps through the soak.
        var workflows = services.GetRequiredService<WorkflowCore.Interface.IPersistenceProvider>();
#pragma warning disable CS0612
        var armed = await workflows.GetWorkflowInstances(
            WorkflowCore.Models.WorkflowStatus.Runnable,
            FinaliseWorkflow.DefinitionId,
            null,
            null,
            0,
            10
        );
#pragma warning restore CS0612
        Assert.Single(armed);

        var finalisation = services.GetRequiredService<WaveFinalisation>();
        var notDue = Assert.Single(await finalisation.FinaliseAsync("w-fin", "test"));
        Assert.Equal(FinaliseVerdict.NotDue, notDue.Verdict);
        Assert.True(notDue.DueAt > DateTimeOffset.UtcNow.AddMinutes(55), $"{notDue.DueAt}");
        Assert.Equal(60, await TtlAsync());

        var account = h.Sandbox.Topology.Accounts[0].Id;
        var done = Assert.Single(
            await finalisation.FinaliseAsync("w-fin", "test", "customer confirmed delivery is normal")
        );
        Assert.True(done.Verdict == FinaliseVerdict.Finalised, done.Why);
        var changes = h.Sandbox.Metrics.For(account, "route53", "ChangeResourceRecordSets").Accepted;

        // dig: the original hour is back, and SPF lists only the AWS range.
        Assert.Equal(3600, await TtlAsync());
        Assert.Equal("\"v=spf1 ip4:127.20.1.0/24 -all\"", await SpfAsync());
        var spf = services.GetRequiredService<MtaChecks>();
        var passes = await spf.SpfAsync(
            "acme-mail.example",
            "stg.acme-mail.example",
            [IPAddress.Parse("127.20.1.11")],
            default
        );
        Assert.True(passes.Passed, passes.Observed);
        // The oracle agrees: the AWS address passes, the retired data-centre one no longer does.
        Assert.Equal(
            "pass",
            await Pyspf.CheckAsync(
                h.Sandbox.DnsEndpoint,
                "127.20.1.11",
                "postmaster@stg.acme-mail.example",
                "mta1.stg.acme-mail.example"
            )
        );
        Assert.Equal(
            "fail",
            await Pyspf.CheckAsync(
                h.Sandbox.DnsEndpoint,
                "127.10.1.11",
                "postmaster@stg.acme-mail.example",
                "mta1.stg.acme-mail.example"
            )
        );

        var journal = await h.Engine.Journal.ReadAsync(new JournalQuery { Wave = "w-fin", Environment = "acme-stg" });
        var entry = Assert.Single(journal, e => e.Event == EnvironmentFinalisedPayload.Event);
        Assert.Equal("test", entry.Actor);
        Assert.Contains("customer confirmed delivery is normal", entry.Payload);
        Assert.Contains("ip4:127.10.1.0/24", entry.Payload);
        Assert.Contains("127.10.1.11", entry.Payload);

        var history = await new JournalHistoryReader(h.Engine.Journal).ReadEnvironmentAsync("acme-stg");
        Assert.Equal("test", history?.Finalised?.Actor);
        Assert.Equal("customer confirmed delivery is normal", history?.Finalised?.EarlyReason);
        Assert.Equal((await waves.Store.CutoversAsync("w-fin"))["acme-stg"].InstanceId, history?.Finalised?.Cutover);

        var refused = await Assert.ThrowsAsync<RevertRefusedException>(() =>
            h.Engine.Reverts.StartAsync("acme-stg", "too late", "ops")
        );
        Assert.Contains("finalised", refused.Message, StringComparison.Ordinal);

        // Again: nothing to do, nothing written.
        var again = Assert.Single(await finalisation.FinaliseAsync("w-fin", "test", "again"));
        Assert.Equal(FinaliseVerdict.AlreadyFinalised, again.Verdict);
        Assert.Equal(changes, h.Sandbox.Metrics.For(account, "route53", "ChangeResourceRecordSets").Accepted);
    }

    [Fact]
    public async Task A_byoip_range_still_announced_from_the_data_centre_blocks_finalise_until_it_is_withdrawn()
    {
        await using var h = await StartAsync(s =>
        {
            s["Waves:Finalise:Soak"] = "00:00:01";
            s["Waves:Finalise:RecheckInterval"] = "00:00:01";
        });
        var services = h.Engine!.Services;
        await RunWaveAsync(h, "w-byoip", "globex-stg");

        // The automatic finalise finds AS64500 still announcing the range beside AWS: blocked, journaled, nothing
        // written.
        await Eventually.TrueAsync(
            async () =>
                (await h.Engine.Journal.ReadAsync(new JournalQuery { Wave = "w-byoip" })).Any(e =>
                    e.Event == FinaliseBlockedPayload.Event && e.Payload?.Contains("AS64500") == true
                ),
            TimeSpan.FromMinutes(1),
            () => "the automatic finalise to be blocked by the data centre's announcement"
        );
        var store = services.GetRequiredService<FinaliseStore>();
        var cutover = (await services.GetRequiredService<WaveStore>().CutoversAsync("w-byoip"))["globex-stg"];
        Assert.Null(await store.FindAsync("globex-stg", cutover.InstanceId));

        // The network team withdraws it at the data centre (the looking glass's stand-in, over HTTP).
        using var http = new HttpClient();
        var withdraw = await http.PostAsync(
            new Uri(h.Sandbox.RouteLookingGlassEndpoint, "sandbox/withdraw?resource=127.30.4.0/24"),
            null
        );
        Assert.Equal(HttpStatusCode.NoContent, withdraw.StatusCode);

        var finalised = await Eventually.UntilAsync<EnvironmentFinalisation?>(
            async () => await store.FindAsync("globex-stg", cutover.InstanceId),
            f => f is not null,
            TimeSpan.FromMinutes(1),
            "the automatic finalise to finish once the range is withdrawn"
        );
        Assert.Equal(FinaliseWhenDue.Actor, finalised!.Actor);
        var entry = Assert.Single(
            await h.Engine.Journal.ReadAsync(new JournalQuery { Wave = "w-byoip" }),
            e => e.Event == EnvironmentFinalisedPayload.Event
        );
        Assert.Contains("16509", entry.Payload);
        Assert.DoesNotContain("64500", entry.Payload);
        Assert.Equal("globex-stg", entry.Environment);
    }
}
