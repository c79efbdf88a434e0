using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// `cutover serve` as a real process on loopback against an in-process sandbox: an operator creates and schedules
/// a wave a few seconds ahead through the API; it starts by itself and an auditor watches it complete.
/// </summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task A_wave_scheduled_through_the_api_starts_by_itself_and_completes()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        await using (var serve = await ServeProcess.StartAsync(h))
        {
            using var op = serve.Client(ServeProcess.OperatorKey);
            using var auditor = serve.Client(ServeProcess.AuditorKey);

            // Up when it answers (401 without a key: nothing is anonymous).
            Assert.Equal(HttpStatusCode.Unauthorized, serve.FirstStatus);
            Assert.Equal(
                HttpStatusCode.Unauthorized,
                (await serve.Client("wrong-key-0123456789").GetAsync("/api/waves")).StatusCode
            );
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/openapi/v1.json")).StatusCode);

            var environment = h
                .Sandbox.Topology.Environments.First(e =>
                    e.Id.EndsWith("-stg", StringComparison.Ordinal) || e.Id.EndsWith("-dev", StringComparison.Ordinal)
                )
                .Id;
            var create = await op.PostAsJsonAsync(
                "/api/waves",
                new
                {
                    id = "w-e2e",
                    environments = new[] { environment },
                    plannedStart = DateTimeOffset.UtcNow.AddSeconds(3),
                    parallel = 1,
                    order = "tier",
                }
            );
            Assert.True(create.StatusCode == HttpStatusCode.Created, await create.Content.ReadAsStringAsync());
            Assert.Equal(
                HttpStatusCode.Forbidden,
                (
                    await auditor.PostAsJsonAsync(
                        "/api/waves/w-e2e/schedule",
                        new { at = DateTimeOffset.UtcNow.AddSeconds(3) }
                    )
                ).StatusCode
            );

            // No notice was ever sent: the policy refuses, naming the environment; an override with a reason goes
            // ahead.
            var refused = await op.PostAsJsonAsync(
                "/api/waves/w-e2e/schedule",
                new { at = DateTimeOffset.UtcNow.AddSeconds(3) }
            );
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains(environment, await refused.Content.ReadAsStringAsync());
            var at = DateTimeOffset.UtcNow.AddSeconds(3);
            var scheduled = await op.PostAsJsonAsync(
                "/api/waves/w-e2e/schedule",
                new { at, overrideReason = "end-to-end test against the sandbox" }
            );
            Assert.True(scheduled.IsSuccessStatusCode, await scheduled.Content.ReadAsStringAsync());

            var wave = await serve.WaitForWaveAsync(
                "w-e2e",
                "completed",
                TimeSpan.FromSeconds(120),
                w =>
                {
                    if (w.GetProperty("state").GetString() is "scheduled")
                        Assert.True(DateTimeOffset.UtcNow < at.AddSeconds(10), "the wave did not start at its time");
                }
            );
            Assert.Equal("completed", wave.GetProperty("cutovers")[0].GetProperty("outcome").GetString());
            var report = JsonDocument.Parse(await auditor.GetStringAsync("/api/reports/waves/w-e2e")).RootElement;
            Assert.Equal("completed", report.GetProperty("cutovers")[0].GetProperty("outcome").GetString());
        }

        // The journal names the callers.
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT event, actor FROM journal WHERE wave = 'w-e2e' AND event LIKE 'wave-%' ORDER BY seq";
        var events = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                events.Add($"{r.GetString(0)} {r.GetString(1)}");
        Assert.Contains("wave-created api:olga", events);
        Assert.Contains("wave-policy-overridden api:olga", events);
        Assert.Contains("wave-scheduled api:olga", events);
        Assert.Contains("wave-started scheduler", events);
        Assert.Single(events, e => e.StartsWith("wave-started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wave_scheduled_by_the_cli_while_serve_runs_is_picked_up_by_serve_and_completes()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var environment = h
            .Sandbox.Topology.Environments.First(e =>
                e.Id.EndsWith("-dev", StringComparison.Ordinal) || e.Id.EndsWith("-stg", StringComparison.Ordinal)
            )
            .Id;
        await using var serve = await ServeProcess.StartAsync(h);

        var created = await ServeProcess.RunCliAsync(
            h,
            "wave",
            "create",
            "w-cli",
            "--environments",
            environment,
            "--planned-start",
            DateTimeOffset.UtcNow.AddMinutes(1).ToString("O")
        );
        Assert.True(created.ExitCode == 0, created.Stderr);
        // A few seconds ahead; the CLI writes the row and the sleeping wave-start workflow into serve's store and
        // exits.
        var at = DateTimeOffset.UtcNow.AddSeconds(8);
        var scheduled = await ServeProcess.RunCliAsync(
            h,
            "wave",
            "schedule",
            "w-cli",
            "--at",
            at.ToString("O"),
            "--override-reason",
            "end-to-end test: no notices in the sandbox"
        );
        Assert.True(scheduled.ExitCode == 0, scheduled.Stderr + scheduled.Stdout);
        Assert.Contains("scheduled", scheduled.Stdout);

        var wave = await serve.WaitForWaveAsync(
            "w-cli",
            "completed",
            TimeSpan.FromSeconds(150),
            w => Assert.True(w.GetProperty("state").GetString() is "scheduled" or "running", $"wave ended {w}")
        );
        Assert.Equal("completed", wave.GetProperty("cutovers")[0].GetProperty("outcome").GetString());

        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText =
            "SELECT event, actor, at FROM journal WHERE wave = 'w-cli' AND event IN ('wave-scheduled', 'wave-started') ORDER BY seq";
        var events = new List<(string Event, string Actor, DateTimeOffset At)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                events.Add(
                    (
                        r.GetString(0),
                        r.GetString(1),
                        DateTimeOffset.Parse(r.GetString(2), System.Globalization.CultureInfo.InvariantCulture)
                    )
                );
        Assert.Equal(["wave-scheduled", "wave-started"], events.Select(e => e.Event));
        Assert.StartsWith("cli:", events[0].Actor);
        Assert.Equal("scheduler", events[1].Actor);
        Assert.True(events[1].At >= at, $"started at {events[1].At:O}, before its time {at:O}");
    }
}
