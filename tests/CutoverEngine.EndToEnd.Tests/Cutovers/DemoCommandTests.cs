using System.Diagnostics;
using System.Text.Json;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>README's first command, as a newcomer runs it: the whole default wave on the embedded sandbox.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_runs_the_default_wave_with_injected_faults_and_every_environment_ends_as_designed()
    {
        var dir = Directory.CreateTempSubdirectory("cutover-demo-");
        try
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.FullName,
            };
            foreach (
                var a in new[]
                {
                    Path.Combine(AppContext.BaseDirectory, "cutover.dll"),
                    "demo",
                    "--fault-rate",
                    "0.2",
                    "--seed",
                    "11",
                    "--output",
                    "json",
                }
            )
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
                await p.WaitForExitAsync(timeout.Token);
            Assert.True(p.ExitCode == 0, await stderr + await stdout);

            var summary = JsonDocument.Parse(await stdout).RootElement;
            var outcomes = summary
                .GetProperty("environments")
                .EnumerateArray()
                .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("outcome").GetString());
            // Prepare ran first: the blocklisted initech-dev was left out, every other environment joined the wave.
            var prepare = summary
                .GetProperty("prepare")
                .EnumerateArray()
                .ToDictionary(e => e.GetProperty("id").GetString()!);
            Assert.Equal(15, prepare.Count);
            Assert.False(prepare["initech-dev"].GetProperty("inWave").GetBoolean());
            Assert.Equal(
                "blocklisted",
                Assert
                    .Single(prepare["initech-dev"].GetProperty("reasons").EnumerateArray())
                    .GetProperty("code")
                    .GetString()
            );
            Assert.All(
                prepare.Where(p => p.Key != "initech-dev"),
                p => Assert.True(p.Value.GetProperty("inWave").GetBoolean())
            );
            // initech-prod's hour-long TTL was lowered: not ready only while the old one may be cached, so it joins,
            // overridden.
            Assert.False(prepare["initech-prod"].GetProperty("ready").GetBoolean());
            Assert.All(
                prepare["initech-prod"].GetProperty("reasons").EnumerateArray(),
                r => Assert.Equal("ttl-not-elapsed", r.GetProperty("code").GetString())
            );
            Assert.Contains("overridden", prepare["initech-prod"].GetProperty("note").GetString());
            Assert.Equal(14, outcomes.Count);
            Assert.DoesNotContain("initech-dev", outcomes.Keys);
            Assert.Equal("rolled-back", outcomes["umbrella-stg"]);
            Assert.All(outcomes.Where(o => o.Key != "umbrella-stg"), o => Assert.Equal("completed", o.Value));
            var mail = summary.GetProperty("mail");
            Assert.Equal(mail.GetProperty("produced").GetInt64(), mail.GetProperty("delivered").GetInt64());
            Assert.Equal(0, mail.GetProperty("duplicates").GetInt64());
            Assert.True(File.Exists(Path.Combine(dir.FullName, "data", "cutover.db")));

            // initech-prod's SPF listed only the data-centre range: prepare pre-authorised the new addresses, in the
            // store and the journal, and its cutover then passed its SPF check (it completed above).
            var spf = await new CutoverEngine.Engine.Preparation.PrepareStore(
                Path.Combine(dir.FullName, "data", "cutover.db")
            ).SpfAsync("initech-prod");
            Assert.Equal(["ip4:127.20.8.11", "ip4:127.20.8.12"], spf.Select(m => m.Mechanism).Order());
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.FullName, "logs"), "cutover-*.json"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
