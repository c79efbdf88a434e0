using static CutoverEngine.Domain.Tests.Inventory.InventorySample;

namespace CutoverEngine.Domain.Tests.Inventory;

/// <summary>The optional sendingControlAuth block: where an agent's token comes from, and the CA to trust.</summary>
public class SendingControlAuthTests
{
    const string Control = "    sendingControl: https://control.globex.example:8443/environments/globex-prod\n";

    [Fact]
    public void An_environment_without_the_block_has_no_credentials()
    {
        var result = Parse(ValidText);
        Assert.Empty(result.Errors);
        Assert.All(result.Inventory!.Environments, e => Assert.Null(e.SendingControlAuth));
    }

    [Fact]
    public void The_block_names_the_token_source_and_the_ca()
    {
        var yaml = With(
            Control,
            Control
                + "    sendingControlAuth: { tokenEnv: GLOBEX_AGENT_TOKEN, caCertificate: /etc/cutover/globex.crt }\n"
        );
        var result = Parse(yaml);
        Assert.Empty(result.Errors);
        var auth = result.Inventory!.Environments.Single(e => e.Id == "globex-prod").SendingControlAuth;
        Assert.Equal(
            new CutoverEngine.Domain.Inventory.SendingControlAuth(
                "GLOBEX_AGENT_TOKEN",
                null,
                "/etc/cutover/globex.crt"
            ),
            auth
        );
    }

    [Fact]
    public void Both_token_sources_at_once_are_refused_at_the_block()
    {
        var yaml = With(Control, Control + "    sendingControlAuth: { tokenEnv: T, tokenFile: /etc/t }\n");
        var error = SingleError(yaml);
        Assert.EndsWith(".sendingControlAuth", error.Field);
        Assert.Contains("exactly one of tokenEnv", error.Message);
    }

    [Fact]
    public void An_unknown_key_in_the_block_is_refused_with_its_position()
    {
        var yaml = With(Control, Control + "    sendingControlAuth: { tokenEnv: T, token: s3cret }\n");
        var error = SingleError(yaml);
        Assert.EndsWith(".sendingControlAuth.token", error.Field);
        Assert.Equal(PositionOf(yaml, "token: s3cret").Line, error.Line);
    }
}
