using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Sending.Tests.Verification;

/// <summary>
/// One question to both evaluators: check_host(address, domain, sender) and the RFC 7208 answer.
/// <see cref="PyspfDiffers"/> is set only where pyspf is known to depart from the RFC, saying what it gives and
/// why.
/// </summary>
public sealed record SpfOracleCase(
    string Id,
    string Domain,
    string Address,
    SpfVerdict Expected,
    string? Sender = null,
    string Helo = "mx.example.org",
    (SpfVerdict Gives, string Why)? PyspfDiffers = null
)
{
    public string SenderOrPostmaster => Sender ?? $"postmaster@{Domain}";
}

/// <summary>
/// The policies the oracle test serves from the sandbox DNS (zones spf.test and in-addr.arpa) and the questions
/// asked of them, each with the result RFC 7208 gives and why.
/// </summary>
internal static class SpfOraclePolicies
{
    public const string Zone = "spf.test";
    const string Ip = "192.0.2.10";
    const string Ip6 = "2001:db8::10";

    public static readonly SpfOracleCase[] Cases =
    [
        new("ip4-pass", "c01.spf.test", Ip, SpfVerdict.Pass),
        new("ip4-fail", "c01.spf.test", "198.51.100.1", SpfVerdict.Fail),
        new("ip4-against-ipv6-client", "c01.spf.test", Ip6, SpfVerdict.Fail),
        new("softfail", "c03.spf.test", Ip, SpfVerdict.SoftFail),
        new("neutral-all", "c04.spf.test", Ip, SpfVerdict.Neutral),
        new("no-all-is-neutral", "c05.spf.test", Ip, SpfVerdict.Neutral),
        new("no-name-is-none", "c06.spf.test", Ip, SpfVerdict.None),
        new("no-spf-txt-is-none", "c07.spf.test", Ip, SpfVerdict.None),
        new("two-records", "c08.spf.test", Ip, SpfVerdict.PermError),
        new("include-chain-pass", "c09.spf.test", Ip, SpfVerdict.Pass),
        new("include-chain-no-match", "c09.spf.test", "192.0.2.100", SpfVerdict.Fail),
        new("include-without-record", "c10.spf.test", Ip, SpfVerdict.PermError),
        new("include-of-broken-record", "c11.spf.test", Ip, SpfVerdict.PermError),
        new("redirect-pass", "c12.spf.test", Ip, SpfVerdict.Pass),
        new("redirect-fail", "c12.spf.test", "203.0.113.1", SpfVerdict.Fail),
        new("redirect-without-record", "c13.spf.test", Ip, SpfVerdict.PermError),
        new("redirect-unused-after-match", "c14.spf.test", Ip, SpfVerdict.Pass),
        new("a-with-cidr", "c15.spf.test", Ip, SpfVerdict.Pass),
        new("a-with-cidr-outside", "c15.spf.test", "192.0.3.10", SpfVerdict.Fail),
        new("a-of-own-domain", "c16.spf.test", Ip, SpfVerdict.Pass),
        new("a-dual-cidr-ipv6", "c17.spf.test", Ip6, SpfVerdict.Pass),
        new("a-dual-cidr-ipv6-outside", "c17.spf.test", "2001:db8:1::10", SpfVerdict.Fail),
        new("mx-second-exchange", "c18.spf.test", Ip, SpfVerdict.Pass),
        new("mx-of-other-domain-with-cidr", "c19.spf.test", "192.0.2.77", SpfVerdict.Pass),
        new("mx-more-than-ten-names", "c20.spf.test", Ip, SpfVerdict.PermError),
        new("ptr-validated", "c21.spf.test", "192.0.2.21", SpfVerdict.Pass),
        new("ptr-not-validated", "c22.spf.test", "192.0.2.22", SpfVerdict.Fail),
        new("ptr-of-other-domain", "c23.spf.test", "192.0.2.21", SpfVerdict.Pass),
        new("exists-macro-pass", "c24.spf.test", Ip, SpfVerdict.Pass, "alice@c24.spf.test"),
        new("exists-macro-fail", "c24.spf.test", Ip, SpfVerdict.Fail, "bob@c24.spf.test"),
        new("macro-helo", "c25.spf.test", Ip, SpfVerdict.Pass),
        new("macro-reversed-local-part", "c26.spf.test", Ip, SpfVerdict.Pass, "first-last@c26.spf.test"),
        new("eleven-lookups", "c27.spf.test", Ip, SpfVerdict.PermError),
        new("twelve-lookups-through-includes", "c28.spf.test", Ip, SpfVerdict.PermError),
        new("ten-lookups-through-an-include", "c29.spf.test", Ip, SpfVerdict.Pass),
        new("three-void-lookups", "c30.spf.test", Ip, SpfVerdict.PermError),
        new("two-void-lookups", "c31.spf.test", Ip, SpfVerdict.Pass),
        new("unknown-mechanism", "c32.spf.test", Ip, SpfVerdict.PermError),
        new("prefix-length-too-long", "c33.spf.test", Ip, SpfVerdict.PermError),
        new("redirect-twice", "c34.spf.test", Ip, SpfVerdict.PermError),
        new("unknown-modifier-ignored", "c35.spf.test", Ip, SpfVerdict.Pass),
        new("exp-ignored", "c36.spf.test", Ip, SpfVerdict.Fail),
        new("ip6-pass", "c37.spf.test", Ip6, SpfVerdict.Pass),
        new("ip6-fail", "c37.spf.test", "2001:db9::1", SpfVerdict.Fail),
        new("upper-case-terms", "c38.spf.test", Ip, SpfVerdict.Pass),
        new("record-in-two-strings", "c39.spf.test", Ip, SpfVerdict.Pass),
        new("bad-macro-letter", "c40.spf.test", Ip, SpfVerdict.PermError),
        new("mx-without-records-is-void", "c41.spf.test", Ip, SpfVerdict.Pass),
        new("include-softfail-is-no-match", "c42.spf.test", Ip, SpfVerdict.Neutral),
        new("record-through-cname", "c43.spf.test", Ip, SpfVerdict.Pass),
        new("exists-ipv6-nibbles", "c44.spf.test", Ip6, SpfVerdict.Pass),
        new("redirect-with-macro", "c45.spf.test", Ip, SpfVerdict.Pass),
        new("include-loop", "c46.spf.test", Ip, SpfVerdict.PermError),
        new("exists-asks-for-a-even-for-ipv6", "c47.spf.test", Ip6, SpfVerdict.Pass),
        new("macro-validated-name", "c48.spf.test", "192.0.2.21", SpfVerdict.Pass),
        new("void-lookups-counted-per-query", "c49.spf.test", Ip, SpfVerdict.PermError),
        new("a-with-zero-prefix", "c50.spf.test", "203.0.113.5", SpfVerdict.Pass),
        new("ip4-with-leading-zero", "c51.spf.test", Ip, SpfVerdict.PermError),
        new("version-alone-is-neutral", "c52.spf.test", Ip, SpfVerdict.Neutral),
        new("extra-spaces", "c53.spf.test", Ip, SpfVerdict.Pass),
        new("redirect-unused-after-all", "c54.spf.test", Ip, SpfVerdict.Fail),
        new("exp-with-bad-macro", "c55.spf.test", Ip, SpfVerdict.PermError),
        new("a-with-empty-domain", "c56.spf.test", Ip, SpfVerdict.PermError),
        new("ptr-without-ptr-record", "c57.spf.test", Ip, SpfVerdict.Fail),
        new("macro-domain-is-the-included-one", "c58.spf.test", Ip, SpfVerdict.Pass),
        new("macro-sender-domain-in-include", "c59.spf.test", Ip, SpfVerdict.Pass, "someone@c01.spf.test"),
        new(
            "name-outside-served-zones",
            "c60.spf.test",
            Ip,
            SpfVerdict.TempError,
            PyspfDiffers: (
                SpfVerdict.Pass,
                "RFC 7208 4.4 and 5: an RCODE other than 0 or 3 (here REFUSED) ends check_host() with temperror; "
                    + "Debian's pyspf queries through pydns, which never looks at the RCODE, so REFUSED reads as "
                    + "an empty answer (a void lookup) and the next term passes"
            )
        ),
        new("ip4-host-bits-in-record", "c61.spf.test", "192.0.2.99", SpfVerdict.Pass),
        new("all-with-argument", "c62.spf.test", Ip, SpfVerdict.PermError),
        new("macro-sender-with-at-sign", "c63.spf.test", Ip, SpfVerdict.Pass, "carol@c63.spf.test"),
        new("macro-url-escaped", "c64.spf.test", Ip, SpfVerdict.Pass, "dave+tag@c64.spf.test"),
    ];

    public static SandboxTopology Topology() =>
        new()
        {
            Accounts =
            [
                new TopologyAccount
                {
                    Id = "444455556666",
                    AccessKeyId = "AKIASPFORACLETEST001",
                    SecretAccessKey = "spf-oracle-secret-key-00000000000000000",
                    HostedZones =
                    [
                        new TopologyHostedZone
                        {
                            Id = "Z0SPFORACLE0000001",
                            Name = Zone,
                            Records = [.. PolicyRecords()],
                        },
                        new TopologyHostedZone
                        {
                            Id = "Z0SPFORACLE0000002",
                            Name = "in-addr.arpa",
                            Records =
                            [
                                Record("21.2.0.192.in-addr.arpa", "PTR", "mail.c21.spf.test."),
                                Record("22.2.0.192.in-addr.arpa", "PTR", "fake.c22.spf.test."),
                            ],
                        },
                    ],
                },
            ],
        };

    static IEnumerable<TopologyRecord> PolicyRecords()
    {
        yield return Spf("c01", "v=spf1 ip4:192.0.2.0/24 -all");
        yield return Spf("c03", "v=spf1 ip4:10.0.0.0/8 ~all");
        yield return Spf("c04", "v=spf1 ?all");
        yield return Spf("c05", "v=spf1 ip4:10.0.0.1");
        yield return Record("c07.spf.test", "TXT", "\"google-site-verification=abc\"");
        yield return Record("c08.spf.test", "TXT", "\"v=spf1 -all\"", "\"v=spf1 +all\"");
        yield return Spf("c09", "v=spf1 include:i1.c09.spf.test -all");
        yield return Spf("i1.c09", "v=spf1 include:i2.c09.spf.test -all");
        yield return Spf("i2.c09", "v=spf1 ip4:192.0.2.0/28 -all");
        // The include names a domain without a record: permerror even though a later term would match.
        yield return Spf("c10", "v=spf1 include:missing.c10.spf.test ip4:192.0.2.10 -all");
        yield return Spf("c11", "v=spf1 include:bad.c11.spf.test -all");
        yield return Spf("bad.c11", "v=spf1 ip4:300.1.1.1 -all");
        yield return Spf("c12", "v=spf1 redirect=r.c12.spf.test");
        yield return Spf("r.c12", "v=spf1 ip4:192.0.2.0/24 -all");
        yield return Spf("c13", "v=spf1 redirect=nothing.c13.spf.test");
        yield return Spf("c14", "v=spf1 ip4:192.0.2.10 redirect=nothing.c14.spf.test");
        yield return Spf("c15", "v=spf1 a:host.c15.spf.test/24 -all");
        yield return Record("host.c15.spf.test", "A", "192.0.2.200");
        yield return Spf("c16", "v=spf1 a -all");
        yield return Record("c16.spf.test", "A", "192.0.2.10");
        yield return Spf("c17", "v=spf1 a/32//64 -all");
        yield return Record("c17.spf.test", "AAAA", "2001:db8::1");
        yield return Spf("c18", "v=spf1 mx -all");
        yield return Record("c18.spf.test", "MX", "10 mx1.c18.spf.test.", "20 mx2.c18.spf.test.");
        yield return Record("mx1.c18.spf.test", "A", "198.51.100.7");
        yield return Record("mx2.c18.spf.test", "A", "192.0.2.10");
        yield return Spf("c19", "v=spf1 mx:c18.spf.test/24 -all");
        yield return Spf("c20", "v=spf1 mx -all");
        yield return Record("c20.spf.test", "MX", [.. Enumerable.Range(1, 11).Select(i => $"{i} mx{i}.c20.spf.test.")]);
        for (int i = 1; i <= 11; i++)
            yield return Record($"mx{i}.c20.spf.test", "A", "192.0.2.10");
        yield return Spf("c21", "v=spf1 ptr -all");
        yield return Record("mail.c21.spf.test", "A", "192.0.2.21");
        yield return Spf("c22", "v=spf1 ptr -all");
        yield return Record("fake.c22.spf.test", "A", "192.0.2.99");
        yield return Spf("c23", "v=spf1 ptr:c21.spf.test -all");
        yield return Spf("c24", "v=spf1 exists:%{ir}.%{l}._spf.c24.spf.test -all");
        yield return Record("10.2.0.192.alice._spf.c24.spf.test", "A", "127.0.0.2");
        yield return Spf("c25", "v=spf1 exists:%{h}.h.%{d} -all");
        yield return Record("mx.example.org.h.c25.spf.test", "A", "127.0.0.2");
        yield return Spf("c26", "v=spf1 exists:%{lr-}.%{d2r}.c26.spf.test -all");
        yield return Record("last.first.spf.c26.c26.spf.test", "A", "127.0.0.2");
        yield return Spf("c27", "v=spf1 " + string.Join(' ', Enumerable.Repeat("a:x.spf.test", 11)) + " -all");
        yield return Record("x.spf.test", "A", "10.0.0.1");
        yield return Spf("c28", "v=spf1 include:n1.c28.spf.test include:n2.c28.spf.test ip4:192.0.2.10 -all");
        yield return Spf("n1.c28", "v=spf1 " + string.Join(' ', Enumerable.Repeat("a:x.spf.test", 5)));
        yield return Spf("n2.c28", "v=spf1 " + string.Join(' ', Enumerable.Repeat("a:x.spf.test", 5)));
        yield return Spf("c29", "v=spf1 include:n1.c29.spf.test ip4:192.0.2.10 -all");
        yield return Spf("n1.c29", "v=spf1 " + string.Join(' ', Enumerable.Repeat("a:x.spf.test", 9)) + " -all");
        yield return Spf("c30", "v=spf1 a:v1.c30.spf.test a:v2.c30.spf.test a:v3.c30.spf.test ip4:192.0.2.10 -all");
        yield return Spf("c31", "v=spf1 a:v1.c31.spf.test a:v2.c31.spf.test ip4:192.0.2.10 -all");
        yield return Spf("c32", "v=spf1 ip4:192.0.2.10 foo -all");
        yield return Spf("c33", "v=spf1 ip4:192.0.2.0/33 -all");
        yield return Spf("c34", "v=spf1 redirect=c01.spf.test redirect=c01.spf.test");
        yield return Spf("c35", "v=spf1 moo=cow ip4:192.0.2.10 -all");
        yield return Spf("c36", "v=spf1 -all exp=e.c36.spf.test");
        yield return Record("e.c36.spf.test", "TXT", "\"%{i} is not allowed to send for %{d}\"");
        yield return Spf("c37", "v=spf1 ip6:2001:db8::/48 -all");
        yield return Spf("c38", "V=SPF1 IP4:192.0.2.10 -ALL");
        yield return Record("c39.spf.test", "TXT", "\"v=spf1 ip4:192.0.2.10\" \" -all\"");
        yield return Spf("c40", "v=spf1 exists:%{z}.c40.spf.test -all");
        yield return Spf("c41", "v=spf1 mx ip4:192.0.2.10 -all");
        yield return Spf("c42", "v=spf1 include:s.c42.spf.test ?all");
        yield return Spf("s.c42", "v=spf1 ~all");
        yield return Record("c43.spf.test", "CNAME", "c01.spf.test.");
        yield return Spf("c44", "v=spf1 exists:%{ir}.%{v}.c44.spf.test -all");
        yield return Record(
            "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.c44.spf.test",
            "A",
            "127.0.0.2"
        );
        yield return Spf("c45", "v=spf1 redirect=_spf.%{d}");
        yield return Spf("_spf.c45", "v=spf1 ip4:192.0.2.10 -all");
        yield return Spf("c46", "v=spf1 include:c46.spf.test -all");
        yield return Spf("c47", "v=spf1 exists:e.c47.spf.test -all");
        yield return Record("e.c47.spf.test", "A", "127.0.0.2");
        // %{p} of 192.0.2.21 is mail.c21.spf.test (its PTR, whose A record holds the address).
        yield return Spf("c48", "v=spf1 exists:%{p}.c48.spf.test -all");
        yield return Record("mail.c21.spf.test.c48.spf.test", "A", "127.0.0.2");
        // Two exchanges without addresses and one a: without: three queries find nothing in two terms.
        yield return Spf("c49", "v=spf1 mx a:v1.c49.spf.test ip4:192.0.2.10 -all");
        yield return Record("c49.spf.test", "MX", "10 mx1.c49.spf.test.", "20 mx2.c49.spf.test.");
        yield return Spf("c50", "v=spf1 a:host.c15.spf.test/0 -all");
        yield return Spf("c51", "v=spf1 ip4:192.0.2.010 -all");
        yield return Spf("c52", "v=spf1");
        yield return Spf("c53", "v=spf1   ip4:192.0.2.10    -all  ");
        yield return Spf("c54", "v=spf1 -all redirect=c01.spf.test");
        yield return Spf("c55", "v=spf1 -all exp=%{z}.c55.spf.test");
        yield return Spf("c56", "v=spf1 a: ip4:192.0.2.10 -all");
        yield return Spf("c57", "v=spf1 ptr -all");
        yield return Spf("c58", "v=spf1 include:sub.c58.spf.test -all");
        yield return Spf("sub.c58", "v=spf1 exists:%{d}.in.spf.test -all");
        yield return Record("sub.c58.spf.test.in.spf.test", "A", "127.0.0.2");
        yield return Spf("c59", "v=spf1 include:%{o} -all");
        // elsewhere.example is in no zone the sandbox serves: it answers REFUSED (RCODE 5).
        yield return Spf("c60", "v=spf1 a:host.elsewhere.example ip4:192.0.2.10 -all");
        yield return Spf("c61", "v=spf1 ip4:192.0.2.10/24 -all");
        yield return Spf("c62", "v=spf1 all:c01.spf.test");
        yield return Spf("c63", "v=spf1 exists:%{s}.c63.spf.test -all");
        yield return Record("carol@c63.spf.test.c63.spf.test", "A", "127.0.0.2");
        // %{L}: the local-part URL-escaped, "dave+tag" as "dave%2Btag".
        yield return Spf("c64", "v=spf1 exists:%{L}.c64.spf.test -all");
        yield return Record("dave%2btag.c64.spf.test", "A", "127.0.0.2");
    }

    static TopologyRecord Spf(string label, string policy) => Record($"{label}.{Zone}", "TXT", $"\"{policy}\"");

    static TopologyRecord Record(string name, string type, params string[] values) =>
        new()
        {
            Name = name,
            Type = type,
            Ttl = 300,
            Values = [.. values],
        };
}
