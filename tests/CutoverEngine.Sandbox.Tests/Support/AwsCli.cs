using System.Diagnostics;
using System.Text.Json;

namespace CutoverEngine.Sandbox.Tests.Support;

/// <summary>Runs the real AWS CLI (Debian's awscli, /usr/bin/aws) against a sandbox, isolated from any local AWS
/// configuration.</summary>
public static class AwsCli
{
    public const string Path = "/usr/bin/aws";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static void RequireInstalled()
    {
        if (!File.Exists(Path))
            Assert.Fail(
                $"The AWS CLI is not installed at {Path}; these tests run the real CLI against the sandbox. Install it with `apt-get install awscli` (.ci/run does)."
            );
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    /// <summary>Runs <c>aws ARGS</c> as the topology's account number <paramref name="account"/>.</summary>
    public static Task<Result> RunAsync(SandboxHost sandbox, int account, params string[] args)
    {
        var a = sandbox.Topology.Accounts[account];
        return RunAsync(sandbox.AwsEndpoint, a.AccessKeyId, a.SecretAccessKey, a.Region, args);
    }

    public static Task<Result> RunAsync(
        Uri endpoint,
        string accessKey,
        string secretKey,
        string region,
        params string[] args
    ) => RunWithSessionAsync(endpoint, accessKey, secretKey, sessionToken: null, region, args);

    /// <summary>Runs <c>aws ARGS</c> with temporary keys (AWS_SESSION_TOKEN set) when <paramref name="sessionToken"/>
    /// is given.</summary>
    public static async Task<Result> RunWithSessionAsync(
        Uri endpoint,
        string accessKey,
        string secretKey,
        string? sessionToken,
        string region,
        params string[] args
    )
    {
        RequireInstalled();
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var arg in (string[])
                ["--endpoint-url", endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager", .. args]
        )
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretKey;
        start.Environment["AWS_DEFAULT_REGION"] = region;
        if (sessionToken is not null)
            start.Environment["AWS_SESSION_TOKEN"] = sessionToken;
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_PAGER"] = "";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"aws {string.Join(' ', args)} did not finish within {Deadline.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
