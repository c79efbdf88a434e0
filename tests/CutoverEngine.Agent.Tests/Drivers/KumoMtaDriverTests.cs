using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Tests.Drivers;

/// <summary>KumoMTA's driver against a loopback fake of the documented admin API (KumoMTA is not installable
/// here).</summary>
public sealed class KumoMtaDriverTests : IAsyncLifetime
{
    FakeKumoMta _kumo = null!;
    readonly HttpClient _http = new();
    KumoMtaDriver _driver = null!;

    public async Task InitializeAsync()
    {
        _kumo = await FakeKumoMta.StartAsync();
        _driver = new KumoMtaDriver(new KumoMtaSettings { Url = _kumo.Url, Tenant = "acme-prod" }, _http);
    }

    [Fact]
    public async Task A_pause_is_a_suspension_whose_duration_is_the_lease()
    {
        await _driver.PauseAsync(TimeSpan.FromMinutes(5), "cutover run-1", default);
        var s = Assert.Single(_kumo.Active);
        Assert.Equal("300s", s["duration"].GetString());
        Assert.Equal("acme-prod", s["tenant"].GetString());
        Assert.StartsWith(KumoMtaDriver.ReasonPrefix, s["reason"].GetString());
        Assert.True((await _driver.StatusAsync(default)).Paused);
    }

    [Fact]
    public async Task Renewing_replaces_the_suspension_so_only_one_is_active()
    {
        await _driver.PauseAsync(TimeSpan.FromMinutes(5), "c", default);
        var first = _kumo.Active[0]["id"].GetString();
        await _driver.PauseAsync(TimeSpan.FromMinutes(10), "c", default);
        var s = Assert.Single(_kumo.Active);
        Assert.NotEqual(first, s["id"].GetString());
        Assert.Equal("600s", s["duration"].GetString());
    }

    [Fact]
    public async Task Resume_cancels_only_its_own_suspensions_and_reports_the_others()
    {
        _kumo.AddForeign("operator: blocklist investigation");
        await _driver.PauseAsync(TimeSpan.FromMinutes(5), "c", default);
        await _driver.ResumeAsync(default);
        var left = Assert.Single(_kumo.Active);
        Assert.Equal("operator: blocklist investigation", left["reason"].GetString());
        var status = await _driver.StatusAsync(default);
        Assert.False(status.Paused);
        Assert.Contains("operator: blocklist investigation", status.ForeignPause);
    }

    [Fact]
    public async Task The_bounce_api_is_never_called()
    {
        await _driver.PauseAsync(TimeSpan.FromMinutes(5), "c", default);
        await _driver.StatusAsync(default);
        await _driver.ResumeAsync(default);
        Assert.NotEmpty(_kumo.Requests);
        Assert.All(_kumo.Requests, r => Assert.Contains(" /api/admin/suspend/v1 ", r));
    }

    [Fact]
    public async Task An_unreachable_kumomta_is_a_driver_error_naming_the_url()
    {
        var url = _kumo.Url;
        await _kumo.DisposeAsync();
        var e = await Assert.ThrowsAsync<MtaDriverException>(() => _driver.StatusAsync(default));
        Assert.Contains(url.Authority, e.Message);
        _kumo = await FakeKumoMta.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _kumo.DisposeAsync();
        _http.Dispose();
    }
}
