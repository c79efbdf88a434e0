using System.Text;
using CutoverEngine.Sandbox.Dns;

namespace CutoverEngine.Sandbox.Tests.Dns;

public sealed class Route53RecordTextTests
{
    [Theory]
    [InlineData("A", "127.10.1.11", "127.10.1.11")]
    [InlineData("AAAA", "::1", "::1")]
    [InlineData("CNAME", "mta1.example.", "mta1.example.")]
    [InlineData("PTR", "mta1.example", "mta1.example.")]
    [InlineData("MX", "10 mx.example.", "10 mx.example.")]
    [InlineData("SRV", "1 5 25 mx.example.", "1 5 25 mx.example.")]
    [InlineData(
        "SOA",
        "ns-1.example. hostmaster.example. 1 7200 900 1209600 86400",
        "ns-1.example. hostmaster.example. 1 7200 900 1209600 86400"
    )]
    [InlineData("TXT", "\"v=spf1 ip4:127.20.1.0/24 -all\"", "\"v=spf1 ip4:127.20.1.0/24 -all\"")]
    [InlineData("TXT", "\"one\" \"two\"", "\"one\" \"two\"")]
    [InlineData("SPF", "\"v=spf1 -all\"", "\"v=spf1 -all\"")]
    [InlineData("CNAME", "\\052.example.", "*.example.")]
    public void Route53_values_become_rdata_with_the_same_text(string type, string value, string expected)
    {
        Assert.Equal(expected, Route53RecordText.Parse(type, value).ToString());
    }

    [Fact]
    public void Txt_escapes_are_undone()
    {
        var data = (DnsTextData)Route53RecordText.Parse("TXT", "\"say \\\"hi\\\" \\\\ \\101\"");

        Assert.Equal("say \"hi\" \\ A", Encoding.ASCII.GetString(Assert.Single(data.Strings)));
    }

    [Theory]
    [InlineData("A", "10")]
    [InlineData("A", "::1")]
    [InlineData("A", "not-an-address")]
    [InlineData("AAAA", "127.0.0.1")]
    [InlineData("MX", "mx.example.")]
    [InlineData("MX", "99999 mx.example.")]
    [InlineData("SOA", "ns. host. 1 2 3")]
    [InlineData("TXT", "\"unclosed")]
    [InlineData("CAA", "0 issue \"amazon.com\"")]
    public void Values_that_cannot_be_served_fail_naming_type_and_value(string type, string value)
    {
        var ex = Assert.Throws<DnsFormatException>(() => Route53RecordText.Parse(type, value));

        Assert.Contains(type, ex.Message);
        Assert.Contains(value, ex.Message);
    }

    [Fact]
    public void A_txt_string_over_255_octets_is_refused()
    {
        Assert.Throws<DnsFormatException>(() => Route53RecordText.Parse("TXT", $"\"{new string('x', 256)}\""));
    }
}
