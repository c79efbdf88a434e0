using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>The responder as an independent .NET client (DnsClient) sees it, over UDP and over TCP only.</summary>
public sealed class DnsClientLibraryTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    LookupClient Client(bool tcpOnly = false) =>
        new(
            new LookupClientOptions(new NameServer(fixture.Sandbox.DnsEndpoint))
            {
                UseCache = false,
                Recursion = false,
                Retries = 0,
                Timeout = TimeSpan.FromSeconds(3),
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
                UseTcpOnly = tcpOnly,
            }
        );

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_a_record_is_answered_authoritatively(bool tcpOnly)
    {
        var response = await Client(tcpOnly).QueryAsync("mta1.acme-mail.example", QueryType.A);

        Assert.False(response.HasError, response.ErrorMessage);
        Assert.True(response.Header.HasAuthorityAnswer);
        var a = Assert.Single(response.Answers.ARecords());
        Assert.Equal(IPAddress.Parse("127.20.1.11"), a.Address);
        Assert.Equal(60, a.InitialTimeToLive);
    }

    [Fact]
    public async Task Mx_and_spf_records_read_back_as_written_in_route53()
    {
        var client = Client();
        var mx = await client.QueryAsync("acme-mail.example", QueryType.MX);
        var txt = await client.QueryAsync("acme-mail.example", QueryType.TXT);

        Assert.Equal(
            [(10, "mta1.acme-mail.example."), (20, "mta2.acme-mail.example.")],
            mx.Answers.MxRecords().Select(r => ((int)r.Preference, r.Exchange.Value)).Order()
        );
        Assert.Equal("v=spf1 ip4:127.20.1.0/24 -all", Assert.Single(Assert.Single(txt.Answers.TxtRecords()).Text));
    }

    [Fact]
    public async Task A_cname_and_its_target_come_in_one_answer()
    {
        var response = await Client().QueryAsync("smtp.acme-mail.example", QueryType.A);

        Assert.Equal("mta1.acme-mail.example.", Assert.Single(response.Answers.CnameRecords()).CanonicalName.Value);
        Assert.Equal(IPAddress.Parse("127.20.1.11"), Assert.Single(response.Answers.ARecords()).Address);
    }

    [Fact]
    public async Task A_cname_pointing_outside_the_zone_is_answered_alone()
    {
        var response = await Client().QueryAsync("offsite.acme-mail.example", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Equal(
            "mail.elsewhere.example.",
            Assert.IsType<CNameRecord>(Assert.Single(response.Answers)).CanonicalName.Value
        );
    }

    [Fact]
    public async Task Reverse_lookup_names_the_data_centre_host()
    {
        var response = await Client().QueryReverseAsync(IPAddress.Parse("127.20.1.12"));

        Assert.Equal(DnsTestWorld.DcHostName, Assert.Single(response.Answers.PtrRecords()).PtrDomainName.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unknown_name_is_nxdomain_with_the_zone_soa(bool tcpOnly)
    {
        var response = await Client(tcpOnly).QueryAsync("nosuch.acme-mail.example", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, response.Header.ResponseCode);
        var soa = Assert.Single(response.Authorities.SoaRecords());
        Assert.Equal("ns-1.sandbox.cutover.invalid.", soa.MName.Value);
        Assert.Equal(86400u, soa.Minimum);
        Assert.Equal(900, soa.InitialTimeToLive);
    }

    [Fact]
    public async Task A_name_outside_every_zone_is_refused()
    {
        var response = await Client().QueryAsync("mail.example.net", QueryType.MX);

        Assert.Equal(DnsHeaderResponseCode.Refused, response.Header.ResponseCode);
        Assert.False(response.Header.HasAuthorityAnswer);
    }

    [Fact]
    public async Task An_answer_too_big_for_udp_arrives_whole_through_the_clients_tcp_fallback()
    {
        var response = await Client().QueryAsync("huge.acme-mail.example", QueryType.TXT);

        Assert.False(response.HasError, response.ErrorMessage);
        Assert.Equal(DnsTestWorld.HugeTxtCount, response.Answers.TxtRecords().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Many_queries_in_flight_at_once_are_all_answered_correctly(bool tcpOnly)
    {
        var client = Client(tcpOnly);
        var names = Enumerable
            .Range(0, 300)
            .Select(i => (i % 2 == 0 ? "mta1" : "mta2", i % 2 == 0 ? "127.20.1.11" : "127.20.1.12"))
            .ToList();

        var responses = await Task.WhenAll(
            names.Select(n => client.QueryAsync($"{n.Item1}.acme-mail.example", QueryType.A))
        );

        for (int i = 0; i < names.Count; i++)
            Assert.Equal(IPAddress.Parse(names[i].Item2), Assert.Single(responses[i].Answers.ARecords()).Address);
    }
}
