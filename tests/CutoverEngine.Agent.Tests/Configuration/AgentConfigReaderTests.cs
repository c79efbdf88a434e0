using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Http;

namespace CutoverEngine.Agent.Tests.Configuration;

public sealed class AgentConfigReaderTests
{
    static readonly string Hash = BearerTokens.HashHex("t0ken");

    static string Valid(
        string listen = "url: http://127.0.0.1:8701",
        string postfix = "configDirectory: /etc/postfix"
    ) =>
        $"""
            listen:
              {listen}
            stateDirectory: /var/lib/cutover-agent
            tokens:
              - name: engine
                sha256: {Hash}
                environments: [acme-prod]
            environments:
              acme-prod:
                driver: postfix
                postfix:
                  {postfix}
            """;

    static AgentConfigException Refused(string yaml) =>
        Assert.Throws<AgentConfigException>(() => AgentConfigReader.Parse(yaml, "agent.yaml"));

    [Fact]
    public void A_valid_file_gives_each_setting_and_the_stated_defaults()
    {
        var config = AgentConfigReader.Parse(Valid(), "agent.yaml");
        var postfix = Assert.IsType<PostfixSettings>(config.Environments["acme-prod"].Settings);
        Assert.Equal(["smtp", "relay"], postfix.Transports);
        Assert.Equal(TimeSpan.FromSeconds(30), config.MinLease);
        Assert.Equal(TimeSpan.FromHours(2), config.MaxLease);
        Assert.Equal(BearerTokens.Hash("t0ken"), config.Tokens[0].Sha256);
    }

    [Fact]
    public void An_unknown_key_is_named_with_file_and_line()
    {
        var yaml = Valid(postfix: "configDirectory: /etc/postfix\n      transport: [smtp]");
        var line = Array.FindIndex(yaml.Split('\n'), l => l.Contains("transport:", StringComparison.Ordinal)) + 1;
        var problem = Assert.Single(Refused(yaml).Problems);
        Assert.StartsWith($"agent.yaml:{line}: environments.acme-prod.postfix.transport: unknown key", problem);
    }

    [Fact]
    public void Plain_http_on_a_routable_address_is_refused()
    {
        var e = Refused(Valid(listen: "url: http://0.0.0.0:8701"));
        Assert.Contains(
            e.Problems,
            p =>
                p.StartsWith(
                    "agent.yaml:2: listen.url: plain http is allowed only on a loopback",
                    StringComparison.Ordinal
                )
        );
    }

    [Fact]
    public void Https_without_a_certificate_is_refused()
    {
        var e = Refused(Valid(listen: "url: https://0.0.0.0:8701"));
        Assert.Contains(
            e.Problems,
            p => p.Contains("listen: https needs certificate and key", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void A_token_stored_in_clear_instead_of_its_hash_is_refused()
    {
        var e = Refused(Valid().Replace(Hash, "t0ken", StringComparison.Ordinal));
        Assert.Contains(
            e.Problems,
            p => p.StartsWith("agent.yaml:6: tokens[0].sha256: must be 64 hex digits", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void A_token_allowed_an_environment_the_agent_does_not_have_is_refused()
    {
        var e = Refused(Valid().Replace("[acme-prod]", "[acme-prod, acme-dev]", StringComparison.Ordinal));
        Assert.Contains(
            e.Problems,
            p => p.Contains("tokens[0].environments: names 'acme-dev'", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void A_shell_string_for_a_command_is_refused()
    {
        var yaml = Valid()
            .Replace(
                "driver: postfix\n    postfix:\n      configDirectory: /etc/postfix",
                "driver: commands\n    commands:\n      pause: \"nlserver stop mta@x\"\n      resume: [nlserver, start, mta@x]\n      status: [st]",
                StringComparison.Ordinal
            );
        var e = Refused(yaml);
        Assert.Contains(
            e.Problems,
            p =>
                p.Contains(
                    "environments.acme-prod.commands.pause: must be a list of arguments",
                    StringComparison.Ordinal
                )
        );
    }

    [Fact]
    public void Broken_yaml_is_refused_with_its_line()
    {
        var e = Refused("listen:\n  url: http://127.0.0.1:8701\n stateDirectory: x\n");
        Assert.StartsWith("agent.yaml:3: not valid YAML", Assert.Single(e.Problems));
    }

    [Fact]
    public void Every_example_configuration_in_infra_agent_is_accepted()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        var examples = Directory.GetFiles(Path.Combine(dir.FullName, "infra", "agent"), "agent.*.yaml");
        Assert.Equal(4, examples.Length); // postfix, kumomta, powermta, commands
        foreach (var file in examples)
            Assert.NotEmpty(AgentConfigReader.Load(file).Environments);
    }
}
