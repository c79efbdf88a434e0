using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// `cutover serve` as a real process on loopback against an in-process sandbox: an operator creates and schedules
/// a wave a few seconds ahead through the API; it starts by itself and an auditor watches it complete.
/// </summary>
public sealed class ServeProcessTests
{
    const string OperatorKey = "op-key-0123456789abcdef";
    const string AuditorKey = "au-key-0123456789abcdef";

    static string CutoverDll => Path.Combine(AppContext.BaseDirectory, "cutover.dll");

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    static string WriteConfig(CutoverHarness h)
    {
        var config = new JsonObject();
        foreach (var (key, value) in h.Configuration().AsEnumerable().Where(kv => kv.Value is not null))
        {
            var node = config;
            var parts = key.Split(':');
            foreach (var part in parts[..^1])
                node = (node[part] ??= new JsonObject()).AsObject();
            node[parts[^1]] = value;
        }
        config["Logging"] = new JsonObject { ["Directory"] = Path.Combine(h.Directory, "logs") };
        config["Serve"] = new JsonObject
        {
            ["ApiKeys"] = new JsonArray(
                new JsonObject { ["Name"] = "olga", ["Key"] = OperatorKey, ["Role"] = "operator" },
                new JsonObject { ["Name"] = "audrey", ["Key"] = AuditorKey, ["Role"] = "auditor" }),
        };
        var file = Path.Combine(h.Directory, "engine.json");
        File.WriteAllText(file, config.ToJsonString());
        return file;
    }

    static HttpClient Client(string baseUrl, string? key)
    {
        var c = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    [Fact]
    public async Task A_wave_scheduled_through_the_api_starts_by_itself_and_completes()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var configFile = WriteConfig(h);
        var inventoryFile = Path.Combine(h.Directory, "inventory.yaml");
        File.WriteAllText(inventoryFile, CutoverEngine.Sandbox.Topology.TopologyGenerator.InventoryYaml(h.Sandbox.Topology, h.Sandbox.SendingControlEndpoint));
        var baseUrl = $"http://127.0.0.1:{FreePort()}";

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = h.Directory };
        foreach (var a in new[] { CutoverDll, "serve", "--inventory", inventoryFile, "--config", configFile, "--urls", baseUrl })
            psi.ArgumentList.Add(a);
        using var serve = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        serve.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        serve.BeginErrorReadLine();
        serve.OutputDataReceived += (_, _) => { };
        serve.BeginOutputReadLine();
        try
        {
            using var anonymous = Client(baseUrl, null);
            using var op = Client(baseUrl, OperatorKey);
            using var auditor = Client(baseUrl, AuditorKey);

            // Up when it answers (401 without a key: nothing is anonymous).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            HttpStatusCode? first = null;
            while (DateTime.UtcNow < deadline && !serve.HasExited)
            {
                try { first = (await anonymous.GetAsync("/api/waves")).StatusCode; break; }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            Assert.True(first is not null, "serve never answered: " + stderr);
            Assert.Equal(HttpStatusCode.Unauthorized, first);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(baseUrl, "wrong-key-0123456789").GetAsync("/api/waves")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/openapi/v1.json")).StatusCode);

            var environment = h.Sandbox.Topology.Environments.First(e => e.Id.EndsWith("-stg", StringComparison.Ordinal) || e.Id.EndsWith("-dev", StringComparison.Ordinal)).Id;
            var create = await op.PostAsJsonAsync("/api/waves", new { id = "w-e2e", environments = new[] { environment }, plannedStart = DateTimeOffset.UtcNow.AddSeconds(3), parallel = 1, order = "tier" });
            Assert.True(create.StatusCode == HttpStatusCode.Created, await create.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/waves/w-e2e/schedule", new { at = DateTimeOffset.UtcNow.AddSeconds(3) })).StatusCode);

            // No notice was ever sent: the policy refuses, naming the environment; an override with a reason goes ahead.
            var refused = await op.PostAsJsonAsync("/api/waves/w-e2e/schedule", new { at = DateTimeOffset.UtcNow.AddSeconds(3) });
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains(environment, await refused.Content.ReadAsStringAsync());
            var at = DateTimeOffset.UtcNow.AddSeconds(3);
            var scheduled = await op.PostAsJsonAsync("/api/waves/w-e2e/schedule", new { at, overrideReason = "end-to-end test against the sandbox" });
            Assert.True(scheduled.IsSuccessStatusCode, await scheduled.Content.ReadAsStringAsync());

            string? state = null;
            JsonElement wave = default;
            deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline && !serve.HasExited)
            {
                wave = JsonDocument.Parse(await auditor.GetStringAsync("/api/waves/w-e2e")).RootElement;
                state = wave.GetProperty("state").GetString();
                if (state is "completed") break;
                if (state is "scheduled") Assert.True(DateTimeOffset.UtcNow < at.AddSeconds(10), "the wave did not start at its time");
                await Task.Delay(200);
            }
            Assert.True(state == "completed", $"wave ended {state}: {wave} {stderr}");
            Assert.Equal("completed", wave.GetProperty("cutovers")[0].GetProperty("outcome").GetString());
            var report = JsonDocument.Parse(await auditor.GetStringAsync("/api/reports/waves/w-e2e")).RootElement;
            Assert.Equal("completed", report.GetProperty("cutovers")[0].GetProperty("outcome").GetString());
        }
        finally
        {
            if (!serve.HasExited) serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }

        // The journal names the callers.
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT event, actor FROM journal WHERE wave = 'w-e2e' AND event LIKE 'wave-%' ORDER BY seq";
        var events = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) events.Add($"{r.GetString(0)} {r.GetString(1)}");
        Assert.Contains("wave-created api:olga", events);
        Assert.Contains("wave-policy-overridden api:olga", events);
        Assert.Contains("wave-scheduled api:olga", events);
        Assert.Contains("wave-started scheduler", events);
        Assert.Single(events, e => e.StartsWith("wave-started", StringComparison.Ordinal));
    }
}
