using System.Net;
using CutoverEngine.Domain.Waves;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Sending.Verification;
using CutoverEngine.Testing;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowCore.Interface;

namespace CutoverEngine.EndToEnd.Tests.Prepare;

/// <summary>
/// Prepare on the sandbox, as a migration starts: acme-prod's MTA records at a one-hour TTL and its SPF listing only
/// the data-centre range; initech-dev's new address on the sandbox's zen.spamhaus.org.
/// </summary>
public sealed class PrepareEndToEndTests
{
    const string Prod = "acme-prod",
        Staging = "acme-stg",
        Listed = "initech-dev";

    /// <summary>The system clock moved on: the start gate asked later, without waiting for it.</summary>
    sealed class ShiftedClock(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }

    static async Task<CutoverHarness> StartAsync()
    {
        var h = await CutoverHarness.StartAsync(topology: t =>
        {
            foreach (var r in t.Accounts.SelectMany(a => a.HostedZones).SelectMany(z => z.Records))
            {
                if (r.Type == "A" && r.Name.EndsWith(".prod.acme-mail.example", StringComparison.Ordinal))
                    r.Ttl = 3600;
                if (r.Type == "TXT" && r.Name == "prod.acme-mail.example")
                    r.Values = ["\"v=spf1 ip4:127.10.2.0/24 -all\""];
            }
        });
        h.EditSettings = s => s["Waves:Prepare:Required"] = "All";
        await h.StartEngineAsync(services => services.AddCutoverWaves(h.Configuration(), h.Inventory));
        return h;
    }

    static async Task<IReadOnlyDictionary<string, EnvironmentReadiness>> PrepareAndWaitAsync(
        CutoverHarness h,
        string wave,
        DateTimeOffset since,
        string first = Prod
    )
    {
        var preparation = h.Engine!.Services.GetRequiredService<WavePreparation>();
        var store = h.Engine.Services.GetRequiredService<PrepareStore>();
        await preparation.PrepareNowAsync(wave, "test");
        var results = new Dictionary<string, EnvironmentReadiness>();
        await Eventually.UntilAsync(
            async () =>
            {
                foreach (var id in new[] { first, Listed })
                    if (await store.ReadinessAsync(id) is { } r && r.CheckedAt >= since)
                        results[id] = r;
                return results.Count;
            },
            n => n == 2,
            TimeSpan.FromSeconds(120),
            "both environments of the wave to have a readiness verdict after prepare",
            n => $"{n}; {StepErrors(h)}"
        );
        return results;
    }

    /// <summary>What WorkflowCore recorded of the prepare steps that threw, for the failure message.</summary>
    static string StepErrors(CutoverHarness h)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath}");
        c.Open();
        using var q = c.CreateCommand();
        q.CommandText = "SELECT message FROM execution_error ORDER BY id DESC LIMIT 3";
        using var r = q.ExecuteReader();
        var errors = new List<string>();
        while (r.Read())
            errors.Add(r.GetString(0));
        return errors.Count == 0 ? "no step error recorded" : string.Join(" | ", errors);
    }

    [Fact]
    public async Task Prepare_lowers_ttls_preauthorises_spf_and_only_the_blocklisted_environment_is_not_ready()
    {
        await using var h = await StartAsync();
        var waves = h.Engine!.Services.GetRequiredService<WaveService>();
        await waves.CreateAsync(
            "w-prep",
            [Prod, Listed],
            DateTimeOffset.UtcNow.AddDays(40),
            2,
            WaveOrder.Explicit,
            "test"
        );
        var dns = h.Engine.Services.GetRequiredService<DnsQueries>();

        // Before: the evaluator refuses the new addresses.
        var spf = h.Engine.Services.GetRequiredService<MtaChecks>();
        IPAddress[] newAddresses = [IPAddress.Parse("127.20.2.11"), IPAddress.Parse("127.20.2.12")];
        Assert.False((await spf.SpfAsync("acme-mail.example", "prod.acme-mail.example", newAddresses, default)).Passed);

        var started = DateTimeOffset.UtcNow;
        var readiness = await PrepareAndWaitAsync(h, "w-prep", started);

        // TTLs: the authoritative DNS answers 60 s.
        foreach (var host in new[] { "mta1.prod.acme-mail.example", "mta2.prod.acme-mail.example" })
        {
            var a = await dns.AuthoritativeAsync("acme-mail.example", host, QueryType.A, default);
            Assert.Equal(60, Assert.Single(a.Records.OfType<ARecord>()).TimeToLive);
        }
        // SPF: the record gained both addresses and the evaluator passes them before any cutover.
        var txt = await dns.AuthoritativeAsync("acme-mail.example", "prod.acme-mail.example", QueryType.TXT, default);
        Assert.Equal("v=spf1 ip4:127.10.2.0/24 ip4:127.20.2.11 ip4:127.20.2.12 -all", Assert.Single(txt.Texts));
        var check = await spf.SpfAsync("acme-mail.example", "prod.acme-mail.example", newAddresses, default);
        Assert.True(check.Passed, check.Observed);

        // Readiness: only the blocklisted environment is listed; acme-prod waits for its old one-hour TTL.
        Assert.Contains(
            readiness[Listed].Reasons,
            r => r.Code == ReadinessChecks.Blocklisted && r.Message.Contains("127.20.6.11")
        );
        Assert.DoesNotContain(readiness[Prod].Reasons, r => r.Code == ReadinessChecks.Blocklisted);
        Assert.Equal([ReadinessChecks.TtlNotElapsed], readiness[Prod].Reasons.Select(r => r.Code).Distinct());
        var journal = await h.Engine.Journal.ReadAsync(new JournalQuery { Wave = "w-prep" });
        var checkedProd = journal.Single(e => e.Event == ReadinessCheckedPayload.Event && e.Environment == Prod);
        Assert.Contains("DryRunOperation", checkedProd.Payload); // the IAM dry run: permitted
        Assert.Contains(
            journal,
            e => e.Event == EnvironmentPreparedPayload.Event && e.Environment == Prod && e.Actor == "test"
        );

        // The gate: now acme-prod's TTL is not in force; an hour later it is, and only initech-dev stops the start.
        var gateNow = h.Engine.Services.GetRequiredService<WavePreparation>();
        var wave = await waves.Store.GetAsync("w-prep");
        Assert.Contains(await gateNow.GateViolationsAsync(wave), v => v.EnvironmentId == Prod);
        var later = new ShiftedClock(TimeSpan.FromMinutes(61));
        var gateLater = new WavePreparation(
            waves.Store,
            h.Engine.Services.GetRequiredService<PrepareStore>(),
            h.Engine.Services.GetRequiredService<PrepareOptions>(),
            h.Inventory,
            h.Engine.Services.GetRequiredService<IWorkflowController>(),
            h.Engine.Journal,
            later,
            NullLogger<WavePreparation>.Instance
        );
        Assert.Equal([Listed], (await gateLater.GateViolationsAsync(wave)).Select(v => v.EnvironmentId).Distinct());

        // Replaying prepare adds nothing twice and keeps the original TTLs.
        await PrepareAndWaitAsync(h, "w-prep", DateTimeOffset.UtcNow);
        txt = await dns.AuthoritativeAsync("acme-mail.example", "prod.acme-mail.example", QueryType.TXT, default);
        Assert.Equal("v=spf1 ip4:127.10.2.0/24 ip4:127.20.2.11 ip4:127.20.2.12 -all", Assert.Single(txt.Texts));
        var ttls = await h.Engine.Services.GetRequiredService<PrepareStore>().TtlsAsync(Prod);
        Assert.Equal([3600L, 3600L], ttls.Select(t => t.OriginalTtl));
        Assert.Equal(2, (await h.Engine.Services.GetRequiredService<PrepareStore>().SpfAsync(Prod)).Count);
    }

    [Fact]
    public async Task An_unprepared_wave_does_not_start_without_an_override_and_an_unready_environment_can_be_dropped()
    {
        await using var h = await StartAsync();
        var waves = h.Engine!.Services.GetRequiredService<WaveService>();
        await waves.CreateAsync(
            "w-gate",
            [Staging, Listed],
            DateTimeOffset.UtcNow.AddDays(40),
            2,
            WaveOrder.Explicit,
            "test"
        );

        var refused = await Assert.ThrowsAsync<PolicyRefusedException>(() => waves.StartNowAsync("w-gate", "test"));

        Assert.Contains(refused.Violations, v => v.Rule == WavePreparation.GateRule && v.EnvironmentId == Staging);
        Assert.Contains(refused.Violations, v => v.Rule == WavePreparation.GateRule && v.EnvironmentId == Listed);
        Assert.Equal(WaveState.Draft, (await waves.Store.GetAsync("w-gate")).State);

        // acme-stg's records were at 60 s already and its SPF lists the new range: ready at once.
        var readiness = await PrepareAndWaitAsync(h, "w-gate", DateTimeOffset.UtcNow.AddSeconds(-1), first: Staging);
        Assert.True(readiness[Staging].Ready, string.Join("; ", readiness[Staging].Reasons.Select(r => r.Message)));
        Assert.False(readiness[Listed].Ready);

        Assert.Equal([Listed], await waves.DropUnreadyAsync("w-gate", "test"));

        var wave = await waves.Store.GetAsync("w-gate");
        Assert.Equal([Staging], wave.Environments);
        var preparation = h.Engine.Services.GetRequiredService<WavePreparation>();
        Assert.Empty(await preparation.GateViolationsAsync(wave));
        var journal = await h.Engine.Journal.ReadAsync(new JournalQuery { Wave = "w-gate", Environment = Listed });
        var dropped = Assert.Single(journal, e => e.Event == EnvironmentDroppedPayload.Event);
        Assert.Equal("test", dropped.Actor);
        Assert.Contains("zen.spamhaus.org", dropped.Payload);
    }
}
