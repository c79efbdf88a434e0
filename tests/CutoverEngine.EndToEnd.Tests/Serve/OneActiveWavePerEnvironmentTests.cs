using System.Net;
using System.Net.Http.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

using static ServeProcess;

/// <summary>
/// As a new user tried it: one staging environment put into two waves, both scheduled for the same instant with an
/// override reason for the notices. The second is refused naming the first, from the CLI and from the API.
/// </summary>
public sealed class OneActiveWavePerEnvironmentTests
{
    static string Staging(CutoverHarness h) =>
        h.Sandbox.Topology.Environments.First(e => e.Id.EndsWith("-stg", StringComparison.Ordinal)).Id;

    [Fact]
    public async Task The_cli_refuses_to_schedule_a_second_wave_holding_the_environment_with_exit_2()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var env = Staging(h);
        var at = DateTimeOffset.UtcNow.AddDays(10).ToString("O");
        foreach (var wave in new[] { "w-one", "w-two" })
        {
            var created = await RunCliAsync(h, "wave", "create", wave, "--environments", env, "--planned-start", at);
            Assert.True(created.ExitCode == 0, created.Stderr);
        }
        var first = await RunCliAsync(h, "wave", "schedule", "w-one", "--at", at, "--override-reason", "test");
        Assert.True(first.ExitCode == 0, first.Stderr);

        var second = await RunCliAsync(h, "wave", "schedule", "w-two", "--at", at, "--override-reason", "test");

        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"environment {env} is in wave 'w-one' (scheduled)", second.Stderr);
        var shown = await RunCliAsync(h, "wave", "show", "w-two");
        Assert.Contains("draft", shown.Stdout);
    }

    [Fact]
    public async Task The_api_refuses_to_schedule_a_second_wave_holding_the_environment_with_409()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var env = Staging(h);
        var at = DateTimeOffset.UtcNow.AddDays(10);
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(OperatorKey);
        foreach (var wave in new[] { "w-one", "w-two" })
        {
            var created = await op.PostAsJsonAsync(
                "/api/waves",
                new
                {
                    id = wave,
                    environments = new[] { env },
                    plannedStart = at,
                }
            );
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        var first = await op.PostAsJsonAsync("/api/waves/w-one/schedule", new { at, overrideReason = "test" });
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());

        var second = await op.PostAsJsonAsync("/api/waves/w-two/schedule", new { at, overrideReason = "test" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var body = await second.Content.ReadAsStringAsync();
        Assert.Contains($"environment {env} is in wave 'w-one' (scheduled)", body);
        Assert.Contains("\"wave\":\"w-one\"", body);
    }
}
