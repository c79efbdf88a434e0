using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Http;

namespace CutoverEngine.Agent.Tests.Support;

/// <summary>Agent configurations for tests: a temp state directory, loopback HTTP, two tokens.</summary>
public static class TestConfigs
{
    public const string OpsToken = "ops-token-3f9c2a71d0b84e5a",
        StagingToken = "staging-token-8d1e77c2aa09f3b6";

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agent-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Environments acme-prod and acme-stg; "ops" may control both, "staging" only acme-stg.</summary>
    public static AgentConfig Config(string stateDirectory, string? logFile = null) =>
        new()
        {
            Path = "test.yaml",
            Listen = new ListenConfig(new Uri("http://127.0.0.1:0/"), null, null),
            StateDirectory = stateDirectory,
            LogFile = logFile,
            Tokens =
            [
                new TokenConfig("ops", BearerTokens.Hash(OpsToken), ["*"]),
                new TokenConfig("staging", BearerTokens.Hash(StagingToken), ["acme-stg"]),
            ],
            Environments = new Dictionary<string, EnvironmentConfig>
            {
                ["acme-prod"] = new("acme-prod", "commands", new CommandsSettings(["true"], ["true"], ["true"])),
                ["acme-stg"] = new("acme-stg", "commands", new CommandsSettings(["true"], ["true"], ["true"])),
            },
        };
}
