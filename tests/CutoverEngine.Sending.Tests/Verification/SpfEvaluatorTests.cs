using System.Net;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Sending.Tests.Verification;

public sealed class SpfEvaluatorTests
{
    sealed class FakeDns : ISpfDns
    {
        public Dictionary<string, string[]> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string[]> A { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string[]> Mx { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>(Txt.GetValueOrDefault(name) ?? []);

        public Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<IPAddress>>([.. (A.GetValueOrDefault(name) ?? []).Select(IPAddress.Parse)]);

        public Task<IReadOnlyList<string>> MailExchangesAsync(string name, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>(Mx.GetValueOrDefault(name) ?? []);
    }

    static Task<SpfResult> Check(FakeDns dns, string address, string domain = "example.com") =>
        new SpfEvaluator(dns).CheckAsync(IPAddress.Parse(address), domain, CancellationToken.None);

    [Theory]
    [InlineData("127.20.1.11", "pass")]
    [InlineData("127.20.2.11", "fail")]
    public async Task An_ip4_range_permits_exactly_its_addresses(string address, string expected)
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = ["v=spf1 ip4:127.20.1.0/24 -all"];
        Assert.Equal(expected, (await Check(dns, address)).Result);
    }

    [Fact]
    public async Task Includes_a_and_mx_are_followed_and_counted()
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = ["v=spf1 a mx include:_spf.example.net ~all"];
        dns.A["example.com"] = ["192.0.2.1"];
        dns.Mx["example.com"] = ["mx.example.com"];
        dns.A["mx.example.com"] = ["192.0.2.2"];
        dns.Txt["_spf.example.net"] = ["v=spf1 ip4:198.51.100.0/24 -all"];
        var r = await Check(dns, "198.51.100.7");
        Assert.Equal("pass", r.Result);
        Assert.Equal(3, r.Lookups);
        Assert.Equal("softfail", (await Check(dns, "203.0.113.9")).Result);
    }

    [Fact]
    public async Task More_than_ten_lookups_is_a_permerror_even_when_a_later_term_would_match()
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] =
        [
            "v=spf1 "
                + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"include:i{i}.example.net"))
                + " ip4:127.20.1.0/24 -all",
        ];
        for (int i = 1; i <= 11; i++)
            dns.Txt[$"i{i}.example.net"] = ["v=spf1 ip4:10.0.0.1 -all"];
        var r = await Check(dns, "127.20.1.11");
        Assert.Equal("permerror", r.Result);
        Assert.Contains("more than 10", r.Explanation);
    }

    [Fact]
    public async Task Two_spf_records_or_an_include_without_one_is_a_permerror()
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = ["v=spf1 -all", "v=spf1 +all"];
        Assert.Equal("permerror", (await Check(dns, "127.0.0.1")).Result);
        dns.Txt["example.com"] = ["v=spf1 include:nothing.example.net ip4:127.0.0.1 -all"];
        Assert.Equal("permerror", (await Check(dns, "127.0.0.1")).Result);
    }

    [Fact]
    public async Task A_redirect_hands_the_decision_to_another_domain()
    {
        var dns = new FakeDns();
        dns.Txt["example.com"] = ["v=spf1 redirect=_spf.example.com"];
        dns.Txt["_spf.example.com"] = ["v=spf1 ip4:127.20.0.0/16 -all"];
        Assert.Equal("pass", (await Check(dns, "127.20.5.5")).Result);
        Assert.Equal("none", (await Check(new FakeDns(), "127.20.5.5")).Result);
    }

    [Theory]
    // Host bits in the mechanism's address do not matter: the range is the one the address lies in.
    [InlineData("127.20.1.5/24", "127.20.1.200", true)]
    [InlineData("127.20.1.5/24", "127.20.2.5", false)]
    // A length past the family's is the whole address; an address without one is a single host.
    [InlineData("127.20.1.5/40", "127.20.1.5", true)]
    [InlineData("127.20.1.5/40", "127.20.1.6", false)]
    [InlineData("127.20.1.5", "127.20.1.6", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "127.20.1.5", false)]
    public void A_cidr_contains_the_addresses_of_its_prefix(string cidr, string address, bool contained) =>
        Assert.Equal(contained, SpfEvaluator.CidrContains(cidr, IPAddress.Parse(address)));
}
