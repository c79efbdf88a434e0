using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sending.SendingControl;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Sending.Tests.SendingControl;

/// <summary>The engine's sending-control adapter against the sandbox's real HTTP endpoint.</summary>
public sealed class HttpSendingControlTests : IAsyncLifetime
{
    SandboxHost _sandbox = null!;
    ServiceProvider _provider = null!;
    ISendingControl _control = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(
            TopologyGenerator.Generate(new TopologyGeneratorOptions { Environments = 3, DesignedFailures = false }),
            new SandboxRunOptions { SmtpPort = 0, GenerateMail = false }
        );
        var services = new ServiceCollection();
        services.AddCutoverSending(new ConfigurationBuilder().Build());
        _provider = services.BuildServiceProvider();
        _control = _provider.GetRequiredService<ISendingControl>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    Uri Url(string id) => _sandbox.SendingControl.EnvironmentUrl(id);

    [Fact]
    public async Task Pause_is_idempotent_keeps_its_instant_and_renews_the_lease()
    {
        var first = await _control.PauseAsync(Url("acme-dev"), TimeSpan.FromMinutes(5), "cutover", "wf-1");
        Assert.True(first.Paused);
        Assert.Equal("paused", first.Outcome);
        var again = await _control.PauseAsync(Url("acme-dev"), TimeSpan.FromMinutes(10), "cutover", "wf-1");
        Assert.Equal("already-paused", again.Outcome);
        Assert.Equal(first.PausedAt, again.PausedAt);
        Assert.True(again.LeaseExpiresAt > first.LeaseExpiresAt);
        var renewed = await _control.RenewLeaseAsync(Url("acme-dev"), TimeSpan.FromMinutes(20));
        Assert.True(renewed.LeaseExpiresAt > again.LeaseExpiresAt);
        Assert.Single(renewed.Pauses);
    }

    [Fact]
    public async Task Resume_ends_the_pause_once_and_a_second_resume_says_so()
    {
        await _control.PauseAsync(Url("acme-stg"), TimeSpan.FromMinutes(5), "cutover", "wf-2");
        var resumed = await _control.ResumeAsync(Url("acme-stg"), "done");
        Assert.False(resumed.Paused);
        Assert.Equal("resumed", resumed.Outcome);
        Assert.Equal("api", Assert.Single(resumed.Pauses).ResumedBy);
        Assert.Equal("already-running", (await _control.ResumeAsync(Url("acme-stg"), "done")).Outcome);
    }

    [Fact]
    public async Task An_unknown_environment_is_an_error_naming_the_url_and_status_without_retries()
    {
        var e = await Assert.ThrowsAsync<SendingControlException>(() => _control.GetStatusAsync(Url("nowhere")));
        Assert.Equal(404, e.Status);
        Assert.Contains("nowhere", e.Message);
    }

    [Fact]
    public async Task Renewing_a_lease_that_is_not_paused_is_refused_with_409()
    {
        var e = await Assert.ThrowsAsync<SendingControlException>(() =>
            _control.RenewLeaseAsync(Url("acme-prod"), TimeSpan.FromMinutes(1))
        );
        Assert.Equal(409, e.Status);
    }
}
