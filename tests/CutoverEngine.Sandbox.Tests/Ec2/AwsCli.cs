using System.Text.Json;

namespace CutoverEngine.Sandbox.Tests.Ec2;

/// <summary><c>aws ec2 ...</c> as one account, through the shared CLI runner, with success/failure
/// expectations.</summary>
sealed class AwsCli(Uri endpoint, string accessKey, string secretKey)
{
    public static void RequireInstalled() => Support.AwsCli.RequireInstalled();

    /// <summary>Runs <c>aws ec2 ...</c> and requires success; returns the parsed JSON output (null when the command
    /// prints nothing).</summary>
    public async Task<JsonElement?> Ec2Async(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(
            result.ExitCode == 0,
            $"aws ec2 {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}"
        );
        return string.IsNullOrWhiteSpace(result.Stdout) ? null : result.Json;
    }

    /// <summary>Runs <c>aws ec2 ...</c> that must fail with <paramref name="code"/>; returns the CLI's error
    /// text.</summary>
    public async Task<string> Ec2FailsAsync(string code, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(
            result.ExitCode != 0,
            $"aws ec2 {string.Join(' ', args)} succeeded but should have failed with {code}:\n{result.Stdout}"
        );
        Assert.Contains($"({code})", result.Stderr);
        return result.Stderr;
    }

    public Task<Support.AwsCli.Result> RunAsync(params string[] args) =>
        Support.AwsCli.RunAsync(endpoint, accessKey, secretKey, "us-east-1", ["ec2", .. args]);
}
