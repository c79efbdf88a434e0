using System.Net;
using CutoverEngine.Testing;

namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>The responder as BIND's dig sees it: status, flags, sections and TTLs.</summary>
public sealed class DigAgainstResponderTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    IPEndPoint Dns => fixture.Sandbox.DnsEndpoint;

    [Fact]
    public async Task An_A_record_is_answered_authoritatively_with_its_ttl()
    {
        var dig = await Dig.RunAsync(Dns, "mta1.acme-mail.example", "A", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Contains("aa", dig.Flags);
        Assert.DoesNotContain("tc", dig.Flags);
        var rr = Assert.Single(dig.Answer);
        Assert.Equal(new DigRecord("mta1.acme-mail.example.", 60, "IN", "A", "127.20.1.11"), rr);
    }

    [Fact]
    public async Task Every_address_of_a_multi_value_record_is_answered()
    {
        var dig = await Dig.RunAsync(Dns, "mta.acme-mail.example", "A", "+norec");

        Assert.Equal(["127.20.1.11", "127.20.1.12"], dig.Answer.Select(r => r.Data).Order());
    }

    [Fact]
    public async Task The_same_answer_comes_over_tcp()
    {
        var dig = await Dig.RunAsync(Dns, "mta1.acme-mail.example", "A", "+norec", "+tcp");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Contains("aa", dig.Flags);
        Assert.Equal("127.20.1.11", Assert.Single(dig.Answer).Data);
    }

    [Fact]
    public async Task Mx_records_carry_preference_and_exchange()
    {
        var dig = await Dig.RunAsync(Dns, "acme-mail.example", "MX", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Equal(
            ["10 mta1.acme-mail.example.", "20 mta2.acme-mail.example."],
            dig.Answer.Select(r => r.Data).Order()
        );
        Assert.All(dig.Answer, r => Assert.Equal(3600, r.Ttl));
    }

    [Fact]
    public async Task The_spf_txt_record_is_one_quoted_string()
    {
        var dig = await Dig.RunAsync(Dns, "acme-mail.example", "TXT", "+norec");

        var rr = Assert.Single(dig.Answer);
        Assert.Equal("\"v=spf1 ip4:127.20.1.0/24 -all\"", rr.Data);
        Assert.Equal(300, rr.Ttl);
    }

    [Fact]
    public async Task A_txt_value_of_several_strings_keeps_them_apart()
    {
        var dig = await Dig.RunAsync(Dns, "split.acme-mail.example", "TXT", "+norec");

        Assert.Equal("\"first part \" \"second part\"", Assert.Single(dig.Answer).Data);
    }

    [Fact]
    public async Task Soa_and_ns_are_answered_at_the_apex()
    {
        var soa = await Dig.RunAsync(Dns, "acme-mail.example", "SOA", "+norec");
        var ns = await Dig.RunAsync(Dns, "acme-mail.example", "NS", "+norec");

        Assert.Equal(
            "ns-1.sandbox.cutover.invalid. hostmaster.acme-mail.example. 1 7200 900 1209600 86400",
            Assert.Single(soa.Answer).Data
        );
        Assert.Equal("ns-1.sandbox.cutover.invalid.", Assert.Single(ns.Answer).Data);
        Assert.Equal(172800, ns.Answer[0].Ttl);
    }

    [Fact]
    public async Task Aaaa_records_are_answered()
    {
        var dig = await Dig.RunAsync(Dns, "v6.acme-mail.example", "AAAA", "+norec");

        Assert.Equal("::1", Assert.Single(dig.Answer).Data);
    }

    [Fact]
    public async Task A_cname_is_chased_to_its_target_inside_the_zone()
    {
        var dig = await Dig.RunAsync(Dns, "smtp.acme-mail.example", "A", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Equal(2, dig.Answer.Count);
        Assert.Equal(
            new DigRecord("smtp.acme-mail.example.", 120, "IN", "CNAME", "mta1.acme-mail.example."),
            dig.Answer[0]
        );
        Assert.Equal(new DigRecord("mta1.acme-mail.example.", 60, "IN", "A", "127.20.1.11"), dig.Answer[1]);
    }

    [Fact]
    public async Task A_cname_to_a_missing_name_in_the_zone_is_nxdomain_with_the_cname()
    {
        var dig = await Dig.RunAsync(Dns, "dangling.acme-mail.example", "A", "+norec");

        Assert.Equal("NXDOMAIN", dig.Status);
        Assert.Equal("CNAME", Assert.Single(dig.Answer).Type);
        Assert.Equal("SOA", Assert.Single(dig.Authority).Type);
    }

    [Fact]
    public async Task An_unknown_name_is_nxdomain_with_the_soa_for_negative_caching()
    {
        var dig = await Dig.RunAsync(Dns, "nosuch.acme-mail.example", "A", "+norec");

        Assert.Equal("NXDOMAIN", dig.Status);
        Assert.Contains("aa", dig.Flags);
        Assert.Empty(dig.Answer);
        var soa = Assert.Single(dig.Authority);
        Assert.Equal("acme-mail.example.", soa.Name);
        Assert.Equal("SOA", soa.Type);
        // RFC 2308: the lesser of the SOA's own TTL (900) and its MINIMUM field (86400).
        Assert.Equal(900, soa.Ttl);
    }

    [Fact]
    public async Task A_name_without_the_asked_type_is_nodata()
    {
        var dig = await Dig.RunAsync(Dns, "mta1.acme-mail.example", "AAAA", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Contains("aa", dig.Flags);
        Assert.Empty(dig.Answer);
        Assert.Equal("SOA", Assert.Single(dig.Authority).Type);
    }

    [Fact]
    public async Task A_name_that_only_has_names_below_it_is_nodata_not_nxdomain()
    {
        var dig = await Dig.RunAsync(Dns, "sub.acme-mail.example", "A", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Empty(dig.Answer);
    }

    [Fact]
    public async Task A_name_outside_every_zone_is_refused()
    {
        var dig = await Dig.RunAsync(Dns, "www.example.org", "A", "+norec");

        Assert.Equal("REFUSED", dig.Status);
        Assert.DoesNotContain("aa", dig.Flags);
        Assert.Empty(dig.Answer);
    }

    [Fact]
    public async Task The_reverse_name_of_a_data_centre_address_names_its_host()
    {
        var dig = await Dig.RunAsync(Dns, "-x", "127.20.1.11", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Contains("aa", dig.Flags);
        Assert.Equal(
            new DigRecord("11.1.20.127.in-addr.arpa.", 300, "IN", "PTR", DnsTestWorld.DcHostName),
            Assert.Single(dig.Answer)
        );
    }

    [Fact]
    public async Task The_reverse_name_of_an_elastic_ip_is_aws_default_name()
    {
        var dig = await Dig.RunAsync(Dns, "-x", DnsTestWorld.ElasticIp, "+norec");

        Assert.Equal("ec2-127-30-0-5.compute-1.amazonaws.com.", Assert.Single(dig.Answer).Data);
    }

    [Fact]
    public async Task The_reverse_name_of_an_unknown_address_is_refused()
    {
        var dig = await Dig.RunAsync(Dns, "-x", "127.99.0.1", "+norec");

        Assert.Equal("REFUSED", dig.Status);
    }

    [Fact]
    public async Task Names_match_whatever_their_case_and_the_question_is_echoed_as_asked()
    {
        var dig = await Dig.RunAsync(Dns, "MTA1.Acme-Mail.EXAMPLE", "A", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        var rr = Assert.Single(dig.Answer);
        Assert.Equal("MTA1.Acme-Mail.EXAMPLE.", rr.Name);
        Assert.Equal("127.20.1.11", rr.Data);
    }

    [Fact]
    public async Task An_edns_query_gets_an_opt_record_offering_1232_octets()
    {
        var withEdns = await Dig.RunAsync(Dns, "mta1.acme-mail.example", "A", "+norec");
        var without = await Dig.RunAsync(Dns, "mta1.acme-mail.example", "A", "+norec", "+noedns");

        Assert.NotNull(withEdns.EdnsLine);
        Assert.Contains("udp: 1232", withEdns.EdnsLine);
        Assert.Null(without.EdnsLine);
    }

    [Fact]
    public async Task An_answer_over_512_octets_is_truncated_without_edns_and_whole_over_tcp()
    {
        var udp = await Dig.RunAsync(Dns, "bulk.acme-mail.example", "TXT", "+norec", "+noedns", "+ignore");
        var edns = await Dig.RunAsync(Dns, "bulk.acme-mail.example", "TXT", "+norec");
        var tcp = await Dig.RunAsync(Dns, "bulk.acme-mail.example", "TXT", "+norec", "+noedns", "+tcp");

        Assert.Contains("tc", udp.Flags);
        Assert.Empty(udp.Answer);
        Assert.DoesNotContain("tc", edns.Flags);
        Assert.Equal(DnsTestWorld.BulkTxtCount, edns.Answer.Count);
        Assert.DoesNotContain("tc", tcp.Flags);
        Assert.Equal(DnsTestWorld.BulkTxtCount, tcp.Answer.Count);
    }

    [Fact]
    public async Task Dig_falls_back_to_tcp_for_an_answer_too_big_even_for_edns()
    {
        var dig = await Dig.RunAsync(Dns, "huge.acme-mail.example", "TXT", "+norec");

        Assert.Contains("Truncated, retrying in TCP mode", dig.Output);
        Assert.Equal(DnsTestWorld.HugeTxtCount, dig.Answer.Count);
    }

    [Fact]
    public async Task Any_lists_every_record_set_at_the_name()
    {
        var dig = await Dig.RunAsync(Dns, "acme-mail.example", "ANY", "+norec");

        Assert.Equal("NOERROR", dig.Status);
        Assert.Equal(["MX", "NS", "SOA", "TXT"], dig.Answer.Select(r => r.Type).Distinct().Order());
    }
}
