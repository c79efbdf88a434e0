using System.Net.Http.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.EndToEnd.Tests.Serve;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Prepare;

/// <summary>
/// `cutover serve` killed with SIGKILL in the middle of a prepare (its TTL change accepted by Route 53, the step
/// waiting for INSYNC), then started again: the prepare finishes once, the original TTL it remembered is the hour,
/// not the lowered minute, and neither change is written twice.
/// </summary>
public sealed class PrepareKillTests
{
    [Fact]
    public async Task A_prepare_killed_after_its_first_change_finishes_after_a_restart_without_applying_anything_twice()
    {
        await using var h = await CutoverHarness.StartAsync(topology: t =>
        {
            foreach (var r in t.Accounts.SelectMany(a => a.HostedZones).SelectMany(z => z.Records))
            {
                if (r.Type == "A" && r.Name.EndsWith(".stg.acme-mail.example", StringComparison.Ordinal))
                    r.Ttl = 3600;
                if (r.Type == "TXT" && r.Name == "stg.acme-mail.example")
                    r.Values = ["\"v=spf1 ip4:127.10.1.0/24 -all\""];
            }
        });
        var account = h.Sandbox.Topology.Accounts[0].Id;
        long Changes() => h.Sandbox.Metrics.For(account, "route53", "ChangeResourceRecordSets").Accepted;
        var store = new PrepareStore(h.DatabasePath);
        // The oracle (pyspf) on the sandbox's DNS: the new address is not authorised before prepare.
        Task<string> OracleAsync() =>
            Pyspf.CheckAsync(
                h.Sandbox.DnsEndpoint,
                "127.20.1.11",
                "postmaster@stg.acme-mail.example",
                "mta1.stg.acme-mail.example"
            );
        Assert.Equal("fail", await OracleAsync());

        await using (var first = await ServeProcess.StartAsync(h))
        {
            using var op = first.Client(ServeProcess.OperatorKey);
            var create = await op.PostAsJsonAsync(
                "/api/waves",
                new
                {
                    id = "w-kill-prep",
                    environments = new[] { "acme-stg" },
                    plannedStart = DateTimeOffset.UtcNow.AddDays(30),
                    parallel = 1,
                    order = "tier",
                }
            );
            Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());
            var prepare = await op.PostAsJsonAsync("/api/waves/w-kill-prep/prepare", new { });
            Assert.True(prepare.IsSuccessStatusCode, await prepare.Content.ReadAsStringAsync());

            // The TTL batch is accepted and PENDING for the sandbox's INSYNC delay: kill inside that wait.
            await Eventually.TrueAsync(
                () => Changes() >= 1 || first.HasExited,
                TimeSpan.FromSeconds(60),
                () => $"prepare's first change {first.Errors}"
            );
            await first.KillAsync();
        }
        Assert.Equal(1, Changes());
        Assert.Null(await store.ReadinessAsync("acme-stg"));

        await using var second = await ServeProcess.StartAsync(h);
        var readiness = await Eventually.UntilAsync<EnvironmentReadiness?>(
            async () => await store.ReadinessAsync("acme-stg"),
            r => r is not null,
            TimeSpan.FromMinutes(2),
            "the prepare to finish after the restart",
            _ => second.Errors
        );

        Assert.NotNull(readiness);
        Assert.Equal(2, Changes()); // the TTL batch before the kill, the SPF batch after it: nothing twice
        var ttls = await store.TtlsAsync("acme-stg");
        Assert.NotEmpty(ttls);
        Assert.All(ttls, t => Assert.Equal(3600, t.OriginalTtl));
        Assert.Equal(["ip4:127.20.1.11"], (await store.SpfAsync("acme-stg")).Select(s => s.Mechanism));
        var spf = Assert.Single(
            (await Dig.RunAsync(h.Sandbox.DnsEndpoint, "stg.acme-mail.example", "TXT", "+norec")).Answer
        );
        Assert.Equal("\"v=spf1 ip4:127.10.1.0/24 ip4:127.20.1.11 -all\"", spf.Data);
        Assert.Equal("pass", await OracleAsync()); // pre-authorised before any cutover
        Assert.All(
            (await Dig.RunAsync(h.Sandbox.DnsEndpoint, "mta1.stg.acme-mail.example", "A", "+norec")).Answer,
            a => Assert.Equal(60, a.Ttl)
        );
        var journal = new SqliteJournal(h.DatabasePath, TimeProvider.System);
        var prepared = (await journal.ReadAsync(new JournalQuery { Wave = "w-kill-prep" }))
            .Where(e => e.Event == EnvironmentPreparedPayload.Event)
            .ToList();
        Assert.Single(prepared);
    }
}
