using System.Net;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Tests.Preparation;

public sealed class SpfAuthorisationTests
{
    static IReadOnlyList<IPAddress> Ips(params string[] a) => [.. a.Select(IPAddress.Parse)];

    [Fact]
    public void The_new_addresses_go_before_the_final_all()
    {
        var r = SpfAuthorisation.Authorise(
            "v=spf1 ip4:127.10.1.0/24 include:_spf.example.com -all",
            "stg.example.com",
            Ips("127.20.1.11", "127.20.1.12")
        );
        Assert.Equal("v=spf1 ip4:127.10.1.0/24 include:_spf.example.com ip4:127.20.1.11 ip4:127.20.1.12 -all", r.After);
        Assert.Equal(["ip4:127.20.1.11", "ip4:127.20.1.12"], r.Added);
    }

    [Fact]
    public void Without_all_they_go_before_redirect()
    {
        var r = SpfAuthorisation.Authorise("v=spf1 a redirect=_spf.example.com", "example.com", Ips("127.20.1.11"));
        Assert.Equal("v=spf1 a ip4:127.20.1.11 redirect=_spf.example.com", r.After);
    }

    [Fact]
    public void Replaying_the_rewrite_on_its_own_result_adds_nothing()
    {
        var first = SpfAuthorisation.Authorise("v=spf1 ip4:127.10.1.0/24 ~all", "example.com", Ips("127.20.1.11"));
        var again = SpfAuthorisation.Authorise(first.After, "example.com", Ips("127.20.1.11"));
        Assert.Empty(again.Added);
        Assert.Equal(first.After, again.After);
    }

    [Fact]
    public void An_address_inside_a_listed_range_is_not_added_but_one_only_failed_by_a_minus_range_is()
    {
        var r = SpfAuthorisation.Authorise(
            "v=spf1 ip4:127.20.0.0/16 -ip4:127.30.0.0/16 -all",
            "example.com",
            Ips("127.20.1.11", "127.30.1.11")
        );
        Assert.Equal(["ip4:127.30.1.11"], r.Added);
    }

    [Fact]
    public void An_invalid_record_is_refused_as_a_permerror()
    {
        Assert.Throws<SpfPermErrorException>(() =>
            SpfAuthorisation.Authorise("v=spf1 ipv4:1.2.3.4 -all", "example.com", Ips("127.20.1.11"))
        );
    }

    [Fact]
    public async Task A_record_within_the_limits_fits()
    {
        var dns = new TableSpfDns();
        dns.Txt["_spf.example.com"] = ["v=spf1 ip4:192.0.2.0/24 -all"];
        var r = SpfAuthorisation.Authorise("v=spf1 include:_spf.example.com -all", "example.com", Ips("127.20.1.11"));
        Assert.Null(await SpfAuthorisation.WhyItCannotFitAsync(r, "example.com", dns, 10, 450, default));
    }

    [Fact]
    public async Task Eleven_lookups_through_nested_includes_do_not_fit()
    {
        var dns = new TableSpfDns();
        // 1 include at the top, then 10 'a' terms in the included record: 11 DNS-querying terms in all.
        dns.Txt["_spf.example.com"] =
        [
            "v=spf1 " + string.Join(" ", Enumerable.Range(1, 10).Select(i => $"a:h{i}.example.com")) + " -all",
        ];
        var r = SpfAuthorisation.Authorise("v=spf1 include:_spf.example.com -all", "example.com", Ips("127.20.1.11"));
        var why = await SpfAuthorisation.WhyItCannotFitAsync(r, "example.com", dns, 10, 450, default);
        Assert.NotNull(why);
        Assert.Contains("example.com", why);
        Assert.Contains("10", why);
    }

    [Fact]
    public async Task A_record_longer_than_the_limit_does_not_fit()
    {
        var r = SpfAuthorisation.Authorise("v=spf1 -all", "example.com", Ips("127.20.1.11"));
        var why = await SpfAuthorisation.WhyItCannotFitAsync(r, "example.com", new TableSpfDns(), 10, 20, default);
        Assert.Contains($"{r.After.Length} characters", why);
    }

    [Fact]
    public void A_long_record_is_split_into_strings_of_at_most_255_characters_that_join_back_to_it()
    {
        var record = "v=spf1 " + string.Join(" ", Enumerable.Range(1, 40).Select(i => $"ip4:192.0.{i}.0/24")) + " -all";
        Assert.True(record.Length > 255 * 2);
        var value = TxtValue.Format(record);
        var strings = TxtValue.Strings(value);
        Assert.True(strings.Count >= 3, value);
        Assert.All(strings, s => Assert.InRange(s.Length, 1, TxtValue.MaxStringLength));
        Assert.Equal(record, TxtValue.Join(value));
        // Split at spaces: no mechanism is cut in two.
        Assert.All(strings.Skip(1), s => Assert.StartsWith(" ", s));
    }

    [Fact]
    public void Txt_escapes_are_read_and_written()
    {
        Assert.Equal("a\"b\\c;", TxtValue.Join("\"a\\\"b\\\\c\\059\""));
        Assert.Equal("\"a\\\"b\"", TxtValue.Format("a\"b"));
    }
}
