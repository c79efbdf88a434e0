using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Sending.Tests.Verification;

public sealed class SpfEvaluatorTests
{
    sealed class FakeDns : ISpfDns
    {
        public Dictionary<string, string[]> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string[]> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string[]> Mx { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string[]> Ptr { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Names whose every query fails like a SERVFAIL.</summary>
        public HashSet<string> Failing { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Asked { get; } = [];

        SpfDnsAnswer<T> Answer<T>(string name, Dictionary<string, string[]> table, Func<string, T> parse)
        {
            Asked.Add(name);
            return Failing.Contains(name)
                ? new([], "ServerFailure")
                : new([.. (table.GetValueOrDefault(name) ?? []).Select(parse)]);
        }

        public Task<SpfDnsAnswer<string>> TxtAsync(string name, CancellationToken ct) =>
            Task.FromResult(Answer(name, Txt, s => s));

        public Task<SpfDnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct)
        {
            var all = Answer(name, Addresses, IPAddress.Parse);
            return Task.FromResult(all with { Values = [.. all.Values.Where(a => a.AddressFamily == family)] });
        }

        public Task<SpfDnsAnswer<string>> MailExchangesAsync(string name, CancellationToken ct) =>
            Task.FromResult(Answer(name, Mx, s => s));

        public Task<SpfDnsAnswer<string>> PointersAsync(string reverseName, CancellationToken ct) =>
            Task.FromResult(Answer(reverseName, Ptr, s => s));
    }

    static Task<SpfResult> Check(FakeDns dns, string address, string domain = "example.com") =>
        new SpfEvaluator(dns).CheckAsync(IPAddress.Parse(address), domain, CancellationToken.None);

    static FakeDns Policy(string record)
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = [record];
        return dns;
    }

    [Theory]
    [InlineData("127.20.1.11", SpfVerdict.Pass)]
    [InlineData("127.20.2.11", SpfVerdict.Fail)]
    [InlineData("2001:db8::1", SpfVerdict.Fail)]
    public async Task An_ip4_range_permits_exactly_its_addresses(string address, SpfVerdict expected) =>
        Assert.Equal(expected, (await Check(Policy("v=spf1 ip4:127.20.1.0/24 -all"), address)).Result);

    [Theory]
    // Host bits in the mechanism's address do not matter: the range is the one the address lies in.
    [InlineData("ip4:127.20.1.5/24", "127.20.1.200", SpfVerdict.Pass)]
    [InlineData("ip4:127.20.1.5", "127.20.1.6", SpfVerdict.SoftFail)]
    [InlineData("ip6:2001:db8::/32", "2001:db8:ffff::1", SpfVerdict.Pass)]
    [InlineData("ip6:2001:db8::/32", "2001:db9::1", SpfVerdict.SoftFail)]
    // An IPv4-mapped IPv6 client is an IPv4 client (RFC 7208 5).
    [InlineData("ip4:127.20.1.0/24", "::ffff:127.20.1.9", SpfVerdict.Pass)]
    public async Task Ip_mechanisms_match_their_prefix(string mechanism, string address, SpfVerdict expected) =>
        Assert.Equal(expected, (await Check(Policy($"v=spf1 {mechanism} ~all"), address)).Result);

    [Fact]
    public async Task Includes_a_and_mx_are_followed_and_counted()
    {
        var dns = Policy("v=spf1 a mx include:_spf.example.net ~all");
        dns.Addresses["example.com"] = ["192.0.2.1"];
        dns.Mx["example.com"] = ["mx.example.com"];
        dns.Addresses["mx.example.com"] = ["192.0.2.2"];
        dns.Txt["_spf.example.net"] = ["v=spf1 ip4:198.51.100.0/24 -all"];
        var r = await Check(dns, "198.51.100.7");
        Assert.Equal(SpfVerdict.Pass, r.Result);
        Assert.Equal(3, r.Lookups);
        // The include's -all only means "no match" to the including record, whose ~all then decides.
        Assert.Equal(SpfVerdict.SoftFail, (await Check(dns, "203.0.113.9")).Result);
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "192.0.2.2")).Result);
    }

    [Theory]
    [InlineData("a/24", "192.0.2.200", SpfVerdict.Pass)]
    [InlineData("a/24", "192.0.3.1", SpfVerdict.Fail)]
    [InlineData("a:other.example.com/16", "10.1.200.1", SpfVerdict.Pass)]
    [InlineData("mx//48", "2001:db8:1:ffff::9", SpfVerdict.Pass)]
    [InlineData("mx//48", "2001:db8:2::9", SpfVerdict.Fail)]
    [InlineData("a/32//64", "2001:db8:a::77", SpfVerdict.Pass)]
    public async Task A_and_mx_apply_their_prefix_lengths_per_family(
        string mechanism,
        string address,
        SpfVerdict expected
    )
    {
        var dns = Policy($"v=spf1 {mechanism} -all");
        dns.Addresses["example.com"] = ["192.0.2.1", "2001:db8:a::1"];
        dns.Addresses["other.example.com"] = ["10.1.0.1"];
        dns.Mx["example.com"] = ["mx.example.com"];
        dns.Addresses["mx.example.com"] = ["2001:db8:1::1"];
        Assert.Equal(expected, (await Check(dns, address)).Result);
    }

    [Fact]
    public async Task More_than_ten_lookups_is_a_permerror_even_when_a_later_term_would_match()
    {
        var dns = Policy(
            "v=spf1 "
                + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"include:i{i}.example.net"))
                + " ip4:127.20.1.0/24 -all"
        );
        for (int i = 1; i <= 11; i++)
            dns.Txt[$"i{i}.example.net"] = ["v=spf1 ip4:10.0.0.1 -all"];
        var r = await Check(dns, "127.20.1.11");
        Assert.Equal(SpfVerdict.PermError, r.Result);
        Assert.Contains("more than 10", r.Explanation);
    }

    [Fact]
    public async Task The_lookup_limit_counts_the_terms_of_nested_records()
    {
        // 3 here + 4 in each of the two includes = 11.
        var dns = Policy("v=spf1 include:one.example.net include:two.example.net a ip4:127.20.1.0/24 -all");
        foreach (var n in new[] { "one", "two" })
            dns.Txt[$"{n}.example.net"] = ["v=spf1 a:x.example.net a:x.example.net a:x.example.net a:x.example.net"];
        dns.Addresses["x.example.net"] = ["10.9.9.9"];
        dns.Addresses["example.com"] = ["10.9.9.8"];
        Assert.Equal(SpfVerdict.PermError, (await Check(dns, "127.20.1.11")).Result);
        dns.Txt["example.com"] = ["v=spf1 include:one.example.net include:two.example.net ip4:127.20.1.0/24 -all"];
        var r = await Check(dns, "127.20.1.11");
        Assert.Equal(SpfVerdict.Pass, r.Result);
        Assert.Equal(10, r.Lookups);
    }

    [Fact]
    public async Task Two_spf_records_or_an_include_without_one_is_a_permerror()
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = ["v=spf1 -all", "v=spf1 +all", "google-site-verification=x"];
        Assert.Equal(SpfVerdict.PermError, (await Check(dns, "127.0.0.1")).Result);
        dns.Txt["example.com"] = ["v=spf1 include:nothing.example.net ip4:127.0.0.1 -all"];
        Assert.Equal(SpfVerdict.PermError, (await Check(dns, "127.0.0.1")).Result);
    }

    [Fact]
    public async Task No_record_or_not_a_domain_is_none()
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = ["v=spf10 -all", "v=spf1x"];
        Assert.Equal(SpfVerdict.None, (await Check(dns, "127.0.0.1")).Result);
        Assert.Equal(SpfVerdict.None, (await Check(dns, "127.0.0.1", "localhost")).Result);
        Assert.Equal(SpfVerdict.None, (await Check(dns, "127.0.0.1", "a..example.com")).Result);
    }

    [Fact]
    public async Task A_redirect_hands_the_decision_to_another_domain_and_needs_its_record()
    {
        var dns = Policy("v=spf1 redirect=_spf.example.com");
        dns.Txt["_spf.example.com"] = ["v=spf1 ip4:127.20.0.0/16 -all"];
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "127.20.5.5")).Result);
        Assert.Equal(SpfVerdict.Fail, (await Check(dns, "127.21.5.5")).Result);
        dns.Txt.Remove("_spf.example.com");
        Assert.Equal(SpfVerdict.PermError, (await Check(dns, "127.20.5.5")).Result);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_when_a_mechanism_matched()
    {
        var dns = Policy("v=spf1 ip4:127.20.0.0/16 redirect=_spf.example.com");
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "127.20.5.5")).Result);
        Assert.DoesNotContain("_spf.example.com", dns.Asked);
    }

    [Theory]
    [InlineData("v=spf1 ip4:127.0.0.1 foo:bar -all", "is not a mechanism")]
    [InlineData("v=spf1 ip4:127.0.0.1 ip4:10.0.0.0/33", "prefix length")]
    [InlineData("v=spf1 ip4:127.0.0.1 ip4:10.0.0", "not an IPv4 address")]
    [InlineData("v=spf1 ip4:127.0.0.1 redirect=a.example.com redirect=b.example.com", "twice")]
    [InlineData("v=spf1 ip4:127.0.0.1 include:%{z}.example.com", "not a macro letter")]
    [InlineData("v=spf1 ip4:127.0.0.1 a:example", "top-level label")]
    [InlineData("v=spf1 ip4:127.0.0.1 exists:", "needs ':' and a domain")]
    public async Task A_syntax_error_anywhere_is_a_permerror_before_any_term_matches(string record, string problem)
    {
        var r = await Check(Policy(record), "127.0.0.1");
        Assert.Equal(SpfVerdict.PermError, r.Result);
        Assert.Contains(problem, r.Explanation);
    }

    [Fact]
    public async Task Unknown_modifiers_and_exp_do_not_change_the_result()
    {
        var dns = Policy("v=spf1 -all exp=explain.%{d} moo=cow.%{l}");
        dns.Txt["explain.example.com"] = ["%{i} is not one of %{d}'s"];
        var r = await Check(dns, "127.0.0.1");
        Assert.Equal(SpfVerdict.Fail, r.Result);
        Assert.Equal(0, r.Lookups);
    }

    [Fact]
    public async Task The_third_lookup_that_finds_nothing_is_a_permerror()
    {
        var dns = Policy("v=spf1 a:n1.example.com a:n2.example.com ip4:127.0.0.1 -all");
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "127.0.0.1")).Result);
        dns.Txt["example.com"] = ["v=spf1 a:n1.example.com a:n2.example.com exists:n3.example.com ip4:127.0.0.1"];
        var r = await Check(dns, "127.0.0.1");
        Assert.Equal(SpfVerdict.PermError, r.Result);
        Assert.Contains("found nothing", r.Explanation);
    }

    [Fact]
    public async Task More_than_ten_mx_names_is_a_permerror()
    {
        var dns = Policy("v=spf1 mx -all");
        dns.Mx["example.com"] = [.. Enumerable.Range(1, 11).Select(i => $"mx{i}.example.com")];
        for (int i = 1; i <= 11; i++)
            dns.Addresses[$"mx{i}.example.com"] = [$"10.0.0.{i}"];
        Assert.Equal(SpfVerdict.PermError, (await Check(dns, "10.0.0.1")).Result);
        dns.Mx["example.com"] = [.. dns.Mx["example.com"].Take(10)];
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "10.0.0.10")).Result);
    }

    [Fact]
    public async Task Ptr_matches_a_validated_name_inside_the_domain_and_ignores_names_past_ten()
    {
        var dns = Policy("v=spf1 ptr -all");
        var reverse = "9.2.0.192.in-addr.arpa";
        dns.Ptr[reverse] = [.. Enumerable.Range(1, 11).Select(i => $"h{i}.example.com")];
        for (int i = 1; i <= 11; i++)
            dns.Addresses[$"h{i}.example.com"] = [i == 11 ? "192.0.2.9" : "10.0.0.1"];
        // Only the 11th name resolves back to the address, and it is never looked at.
        Assert.Equal(SpfVerdict.Fail, (await Check(dns, "192.0.2.9")).Result);
        Assert.DoesNotContain("h11.example.com", dns.Asked);
        dns.Ptr[reverse] = ["mail.example.com", "h1.example.org"];
        dns.Addresses["mail.example.com"] = ["192.0.2.9"];
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "192.0.2.9")).Result);
        // A name that does not resolve back is not validated, however well it is named.
        dns.Addresses["mail.example.com"] = ["192.0.2.10"];
        Assert.Equal(SpfVerdict.Fail, (await Check(dns, "192.0.2.9")).Result);
    }

    [Fact]
    public async Task A_failing_query_is_a_temperror_except_in_ptr()
    {
        var dns = Policy("v=spf1 ptr a:down.example.net -all");
        dns.Failing.Add("9.2.0.192.in-addr.arpa");
        dns.Failing.Add("down.example.net");
        var r = await Check(dns, "192.0.2.9");
        Assert.Equal(SpfVerdict.TempError, r.Result);
        Assert.Contains("down.example.net", r.Explanation);
        dns.Failing.Add("example.com");
        Assert.Equal(SpfVerdict.TempError, (await Check(dns, "192.0.2.9")).Result);
    }

    [Fact]
    public async Task Exists_queries_a_macro_built_name_for_an_a_record()
    {
        var dns = Policy("v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all");
        dns.Addresses["9.2.0.192.postmaster._spf.example.com"] = ["127.0.0.2"];
        Assert.Equal(SpfVerdict.Pass, (await Check(dns, "192.0.2.9")).Result);
        Assert.Equal(SpfVerdict.Fail, (await Check(dns, "192.0.2.10")).Result);
    }

    [Fact]
    public async Task Check_host_uses_the_senders_local_part_and_helo_in_macros()
    {
        var dns = Policy("v=spf1 exists:%{l}.%{h}.users.example.com -all");
        dns.Addresses["alice.mx.example.org.users.example.com"] = ["127.0.0.2"];
        var evaluator = new SpfEvaluator(dns);
        var ip = IPAddress.Parse("192.0.2.9");
        Assert.Equal(
            SpfVerdict.Pass,
            (await evaluator.CheckHostAsync(ip, "example.com", "alice@example.com", "mx.example.org", default)).Result
        );
        Assert.Equal(
            SpfVerdict.Fail,
            (await evaluator.CheckHostAsync(ip, "example.com", "bob@example.com", "mx.example.org", default)).Result
        );
    }

    [Fact]
    public async Task The_verdict_is_named_as_the_rfc_spells_it() =>
        Assert.Equal("softfail", (await Check(Policy("v=spf1 ~all"), "127.0.0.1")).Name);

    [Fact]
    public async Task Counting_lookups_walks_every_term_even_past_one_that_would_match()
    {
        var dns = Policy("v=spf1 ip4:0.0.0.0/0 a include:_spf.example.net mx -all");
        dns.Txt["_spf.example.net"] = ["v=spf1 a:x.example.net exists:y.example.net ~all"];
        dns.Addresses["example.com"] = ["192.0.2.1"];
        dns.Addresses["x.example.net"] = ["192.0.2.2"];
        dns.Addresses["y.example.net"] = ["127.0.0.2"];
        dns.Mx["example.com"] = ["mx.example.com"];
        dns.Addresses["mx.example.com"] = ["192.0.2.3"];
        var evaluator = new SpfEvaluator(dns);
        // a, include, mx here; a and exists in the include.
        Assert.Equal(5, (await evaluator.CountLookupsAsync("example.com", default)).Lookups);
        Assert.Equal(0, (await Check(dns, "192.0.2.9")).Lookups);
    }

    [Fact]
    public async Task Counting_lookups_follows_a_redirect_only_without_all_and_reports_the_limit()
    {
        var dns = Policy("v=spf1 a:x.example.net redirect=_spf.example.net");
        dns.Txt["_spf.example.net"] = ["v=spf1 " + string.Join(' ', Enumerable.Repeat("a:x.example.net", 9)) + " -all"];
        dns.Addresses["x.example.net"] = ["192.0.2.2"];
        var evaluator = new SpfEvaluator(dns);
        var over = await evaluator.CountLookupsAsync("example.com", default);
        Assert.Equal(SpfVerdict.PermError, over.Result);
        Assert.Contains("more than 10", over.Explanation);
        dns.Txt["example.com"] = ["v=spf1 a:x.example.net ~all redirect=_spf.example.net"];
        Assert.Equal(1, (await evaluator.CountLookupsAsync("example.com", default)).Lookups);
    }

    [Fact]
    public async Task A_name_a_macro_leaves_unqueryable_is_a_void_lookup_without_a_query()
    {
        // The record's syntax allows an empty label; DNS cannot carry one, so the term finds nothing.
        var dns = Policy("v=spf1 a:%{d}..example.net ip4:192.0.2.9 -all");
        var r = await Check(dns, "192.0.2.9");
        Assert.Equal(SpfVerdict.Pass, r.Result);
        Assert.DoesNotContain(dns.Asked, n => n.Contains("..", StringComparison.Ordinal));
    }
}
