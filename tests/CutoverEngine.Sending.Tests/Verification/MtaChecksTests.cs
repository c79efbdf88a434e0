using System.Globalization;
using System.Net;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Sending.Tests.Verification;

/// <summary>The checks against the sandbox's real DNS responder and MTAs, before any cutover.</summary>
public sealed class MtaChecksTests : IAsyncLifetime
{
    SandboxHost _sandbox = null!;
    ServiceProvider _provider = null!;
    MtaChecks _checks = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(
            TopologyGenerator.Generate(new TopologyGeneratorOptions { Environments = 3, DesignedFailures = false }),
            new SandboxRunOptions { SmtpPort = 0, GenerateMail = false }
        );
        var services = new ServiceCollection();
        services.AddCutoverSending(
            new ConfigurationBuilder()
                .AddInMemoryCollection(
                    new Dictionary<string, string?>
                    {
                        ["Sending:Verification:AuthoritativeServerOverride"] = _sandbox.DnsEndpoint.ToString(),
                        ["Sending:Verification:SmtpPort"] = _sandbox.SmtpPort.ToString(CultureInfo.InvariantCulture),
                    }
                )
                .Build()
        );
        _provider = services.BuildServiceProvider();
        _checks = _provider.GetRequiredService<MtaChecks>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    static MtaExpectation Mta(string address) =>
        new("mta1.dev.acme-mail.example", IPAddress.Parse(address), "mta1.dev.acme-mail.example");

    [Fact]
    public async Task Authoritative_dns_passes_on_the_live_address_and_fails_with_what_it_saw_otherwise()
    {
        Assert.True((await _checks.AuthoritativeDnsAsync("acme-mail.example", Mta("127.10.0.11"), default)).Passed);
        var moved = await _checks.AuthoritativeDnsAsync("acme-mail.example", Mta("127.20.0.11"), default);
        Assert.False(moved.Passed);
        Assert.Equal("127.10.0.11", moved.Observed);
    }

    [Fact]
    public async Task Forward_confirmed_reverse_dns_and_the_smtp_banner_hold_for_the_data_centre_mta()
    {
        var fcrdns = await _checks.ForwardConfirmedReverseDnsAsync(Mta("127.10.0.11"), default);
        Assert.True(fcrdns.Passed, fcrdns.Observed);
        var banner = await _checks.SmtpBannerAsync(Mta("127.10.0.11"), default);
        Assert.True(banner.Passed, banner.Observed);
        Assert.Contains("ESMTP", banner.Detail);
    }

    [Fact]
    public async Task An_address_where_nothing_answers_fails_the_banner_check_with_the_reason()
    {
        var r = await _checks.SmtpBannerAsync(Mta("127.20.0.11"), default);
        Assert.False(r.Passed);
        Assert.False(string.IsNullOrEmpty(r.Observed));
    }

    [Fact]
    public async Task Spf_of_the_sending_domain_already_covers_the_new_addresses()
    {
        var r = await _checks.SpfAsync(
            "acme-mail.example",
            "dev.acme-mail.example",
            [IPAddress.Parse("127.20.0.11")],
            default
        );
        Assert.True(r.Passed, r.Observed);
        var outside = await _checks.SpfAsync(
            "acme-mail.example",
            "dev.acme-mail.example",
            [IPAddress.Parse("127.99.0.1")],
            default
        );
        Assert.False(outside.Passed);
    }
}
