using System.Net;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Sending.Tests.Verification;

/// <summary>RFC 7208 section 7.4's examples: sender strong-bad@email.example.com, IPv4 192.0.2.3, IPv6
/// 2001:db8::cb01.</summary>
public sealed class SpfMacrosTests
{
    static SpfMacroContext Context(string address = "192.0.2.3") =>
        new(
            "strong-bad@email.example.com",
            "email.example.com",
            IPAddress.Parse(address),
            "mx.example.org",
            ReceivingHost: "mx.example.net",
            Timestamp: 1700000000
        );

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void The_rfc_examples_expand_as_the_rfc_says(string macro, string expected) =>
        Assert.Equal(expected, SpfMacros.Expand(macro, Context(), explanation: false));

    [Fact]
    public void An_ipv6_address_expands_to_its_nibbles()
    {
        Assert.Equal(
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            SpfMacros.Expand("%{ir}.%{v}._spf.%{d2}", Context("2001:db8::cb01"), explanation: false)
        );
    }

    [Theory]
    [InlineData("%%", "%")]
    [InlineData("a%_b", "a b")]
    [InlineData("a%-b", "a%20b")]
    // An upper-case letter URL-escapes the value (RFC 7208 7.3).
    [InlineData("%{S}", "strong-bad%40email.example.com")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{p}", "unknown")]
    public void Escapes_and_the_remaining_letters_expand(string macro, string expected) =>
        Assert.Equal(expected, SpfMacros.Expand(macro, Context(), explanation: false));

    [Theory]
    [InlineData("%{c}", "2001:db8::cb01")]
    [InlineData("%{r}", "mx.example.net")]
    [InlineData("%{t}", "1700000000")]
    public void The_explanation_only_letters_expand_in_explanations(string macro, string expected) =>
        Assert.Equal(expected, SpfMacros.Expand(macro, Context("2001:db8::cb01"), explanation: true));

    [Theory]
    [InlineData("%{c}")] // explanation only
    [InlineData("%{t}")]
    [InlineData("%{x}")] // no such letter
    [InlineData("%{d0}")] // the number of parts must be nonzero
    [InlineData("%{d*}")] // not a delimiter
    [InlineData("%{d")] // not closed
    [InlineData("%x")] // a bare percent
    [InlineData("a b")] // spaces belong to explanations only
    public void A_malformed_macro_is_a_permerror(string macro) =>
        Assert.Throws<SpfPermErrorException>(() => SpfMacros.Validate(macro, explanation: false, "test"));

    [Fact]
    public void A_domain_longer_than_253_characters_loses_labels_on_the_left()
    {
        string x = new('x', 60),
            y = new('y', 60);
        var context = Context() with { Sender = $"{x}.{y}@example.com" };
        // 3 x 121 + 3 + 11 = 377 characters; dropping x (316) and y (255) is not enough, dropping x again is: 194.
        Assert.Equal($"{y}.{x}.{y}.example.com", SpfMacros.ExpandDomain("%{l}.%{l}.%{l}.example.com", context));
    }
}
