using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Tests.Support;
using CutoverEngine.Sending.SendingControl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Agent.Tests.Engine;

/// <summary>
/// The engine's own sending-control client against the agent over HTTPS: token from an environment variable or a
/// file, the agent's self-signed certificate trusted through the configured CA file only.
/// </summary>
public sealed class EngineOverAgentTests : IAsyncLifetime
{
    readonly string _dir = TestConfigs.TempDirectory();
    readonly FakeDriver _driver = new();
    readonly string _tokenEnv = "CUTOVER_TEST_AGENT_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    ServiceProvider _services = null!;
    AgentHost _host = null!;
    string _ca = null!;

    string LogFile => Path.Combine(_dir, "agent.log");

    public async Task InitializeAsync()
    {
        var (cert, key) = SelfSignedCertificate.Write(_dir);
        _ca = cert;
        var config = TestConfigs.Config(_dir, LogFile) with
        {
            Listen = new ListenConfig(new Uri("https://127.0.0.1:0/"), cert, key),
        };
        _host = await AgentHost.StartAsync(config, TimeProvider.System, null, default, _ => _driver);
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        Environment.SetEnvironmentVariable(_tokenEnv, TestConfigs.OpsToken);
    }

    HttpSendingControl Client() =>
        new(
            _services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new SendingControlOptions { Attempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) })
        );

    SendingControlAddress Control(string? tokenEnv, string? tokenFile, string? ca) =>
        new(new Uri(_host.Endpoint, "v1/environments/acme-prod"), new(tokenEnv, tokenFile, ca));

    [Fact]
    public async Task The_engine_pauses_and_resumes_through_the_agent_with_a_token_from_an_environment_variable()
    {
        var sending = Client();
        var control = Control(_tokenEnv, null, _ca);
        var paused = await sending.PauseAsync(control, TimeSpan.FromMinutes(5), "cutover run-1", "run-1");
        Assert.Equal("paused", paused.Outcome);
        Assert.True(_driver.MtaPaused);
        var renewed = await sending.RenewLeaseAsync(control, TimeSpan.FromMinutes(5));
        Assert.Equal("lease-renewed", renewed.Outcome);
        var resumed = await sending.ResumeAsync(control, "verified");
        Assert.Equal("resumed", resumed.Outcome);
        Assert.Equal("api", Assert.Single(resumed.Pauses).ResumedBy);
        Assert.False(_driver.MtaPaused);
    }

    [Fact]
    public async Task A_token_file_works_too()
    {
        var file = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(file, TestConfigs.StagingToken + "\n");
        var status = await Client()
            .GetStatusAsync(
                new SendingControlAddress(new Uri(_host.Endpoint, "v1/environments/acme-stg"), new(null, file, _ca))
            );
        Assert.Equal("acme-stg", status.EnvironmentId);
    }

    [Fact]
    public async Task A_missing_token_variable_is_named_and_nothing_is_sent()
    {
        var e = await Assert.ThrowsAsync<SendingControlException>(() =>
            Client().PauseAsync(Control(_tokenEnv + "_UNSET", null, _ca), TimeSpan.FromMinutes(5), "c", "run-1")
        );
        Assert.Contains(_tokenEnv + "_UNSET", e.Message);
        Assert.Empty(_driver.Calls);
    }

    [Fact]
    public async Task A_token_the_agent_does_not_allow_for_the_environment_is_refused_with_403()
    {
        Environment.SetEnvironmentVariable(_tokenEnv, TestConfigs.StagingToken);
        var e = await Assert.ThrowsAsync<SendingControlException>(() =>
            Client().PauseAsync(Control(_tokenEnv, null, _ca), TimeSpan.FromMinutes(5), "c", "run-1")
        );
        Assert.Equal(403, e.Status);
        Assert.Empty(_driver.Calls);
    }

    [Fact]
    public async Task Without_the_ca_the_self_signed_agent_is_not_trusted()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => Client().GetStatusAsync(Control(_tokenEnv, null, null)));
    }

    [Fact]
    public async Task The_control_address_carries_token_sources_but_never_the_token()
    {
        var control = Control(_tokenEnv, null, _ca);
        var carried = System.Text.Json.JsonSerializer.Serialize(control);
        Assert.DoesNotContain(TestConfigs.OpsToken, carried, StringComparison.Ordinal);
        Assert.Contains(_tokenEnv, carried, StringComparison.Ordinal);
        await Client().GetStatusAsync(control);
        await _host.DisposeAsync();
        Assert.DoesNotContain(TestConfigs.OpsToken, await File.ReadAllTextAsync(LogFile), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_tokenEnv, null);
        await _host.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
