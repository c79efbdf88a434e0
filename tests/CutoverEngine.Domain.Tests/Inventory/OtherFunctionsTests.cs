using CutoverEngine.Domain.Inventory;
using static CutoverEngine.Domain.Tests.Inventory.InventorySample;

namespace CutoverEngine.Domain.Tests.Inventory;

/// <summary>The optional otherFunctions list: the instance's other endpoints, probed during every pause.</summary>
public class OtherFunctionsTests
{
    const string Control = "    sendingControl: https://control.globex.example:8443/environments/globex-prod\n";

    static string WithFunctions(string list) => With(Control, Control + "    otherFunctions:\n" + list);

    static IReadOnlyList<OtherFunction> FunctionsOf(string yaml)
    {
        var result = Parse(yaml);
        Assert.Empty(result.Errors);
        return result.Inventory!.Environments.Single(e => e.Id == "globex-prod").OtherFunctions;
    }

    [Fact]
    public void An_environment_without_the_list_has_no_other_functions()
    {
        var result = Parse(ValidText);
        Assert.Empty(result.Errors);
        Assert.All(result.Inventory!.Environments, e => Assert.Empty(e.OtherFunctions));
    }

    [Fact]
    public void Http_functions_expect_200_unless_told_and_tcp_functions_give_host_and_port()
    {
        var functions = FunctionsOf(
            WithFunctions(
                "      - { name: api, url: https://api.globex.example/health }\n"
                    + "      - { name: login, url: 'http://10.0.0.5:8080/login', expectStatus: 302 }\n"
                    + "      - { name: imap, tcp: imap.globex.example:993 }\n"
            )
        );

        Assert.Equal(
            [
                new OtherFunction("api", new Uri("https://api.globex.example/health"), 200, null, 0),
                new OtherFunction("login", new Uri("http://10.0.0.5:8080/login"), 302, null, 0),
                new OtherFunction("imap", null, 0, "imap.globex.example", 993),
            ],
            functions
        );
        Assert.Equal("imap.globex.example:993", functions[2].Target);
    }

    [Fact]
    public void A_function_with_both_url_and_tcp_is_refused_at_the_function()
    {
        var yaml = WithFunctions(
            "      - { name: api, url: https://api.globex.example/, tcp: api.globex.example:443 }\n"
        );
        var error = SingleError(yaml);
        Assert.EndsWith(".otherFunctions[0]", error.Field);
        Assert.Contains("has both url and tcp", error.Message);
    }

    [Fact]
    public void A_function_with_neither_url_nor_tcp_is_refused()
    {
        var error = SingleError(WithFunctions("      - { name: api }\n"));
        Assert.Contains("needs either url (an HTTP(S) endpoint) or tcp (host:port)", error.Message);
    }

    [Theory]
    [InlineData("imap.globex.example", "is not host:port")]
    [InlineData("imap.globex.example:0", "is not host:port")]
    [InlineData("imap.globex.example:70000", "is not host:port")]
    [InlineData("bad_host:993", "is not host:port")]
    public void A_bad_tcp_endpoint_is_refused_at_its_position(string tcp, string problem)
    {
        var yaml = WithFunctions($"      - {{ name: imap, tcp: '{tcp}' }}\n");
        var error = SingleError(yaml);
        Assert.EndsWith(".otherFunctions[0].tcp", error.Field);
        Assert.Contains($"'{tcp}' {problem}", error.Message);
        Assert.Equal(PositionOf(yaml, "tcp:").Line, error.Line);
    }

    [Theory]
    [InlineData("600")]
    [InlineData("ok")]
    public void An_expected_status_outside_100_599_is_refused(string status)
    {
        var error = SingleError(
            WithFunctions($"      - {{ name: api, url: https://api.globex.example/, expectStatus: '{status}' }}\n")
        );
        Assert.EndsWith(".otherFunctions[0].expectStatus", error.Field);
        Assert.Contains("is not an HTTP status (expected 100-599", error.Message);
    }

    [Fact]
    public void An_expected_status_on_a_tcp_function_is_refused()
    {
        var error = SingleError(
            WithFunctions("      - { name: imap, tcp: imap.globex.example:993, expectStatus: 200 }\n")
        );
        Assert.Contains("applies to url only", error.Message);
    }

    [Fact]
    public void A_function_named_twice_is_refused_naming_the_first_line()
    {
        var yaml = WithFunctions(
            "      - { name: api, url: https://api.globex.example/ }\n"
                + "      - { name: api, tcp: api.globex.example:443 }\n"
        );
        var error = SingleError(yaml);
        Assert.EndsWith(".otherFunctions[1].name", error.Field);
        Assert.Contains(
            $"function 'api' is named twice in this environment (first on line {PositionOf(yaml, "name: api").Line})",
            error.Message
        );
    }

    [Fact]
    public void A_non_http_url_is_refused()
    {
        var error = SingleError(WithFunctions("      - { name: ftp, url: 'ftp://files.globex.example/' }\n"));
        Assert.EndsWith(".otherFunctions[0].url", error.Field);
        Assert.Contains("is not an absolute http or https URL", error.Message);
    }
}
