using System.Diagnostics;
using System.Text.Json;

namespace CutoverEngine.Sandbox.Tests.Ec2;

/// <summary>Runs the real AWS CLI (Debian's awscli, /usr/bin/aws) against a sandbox, isolated from any local AWS configuration.</summary>
sealed class AwsCli(Uri endpoint, string accessKey, string secretKey)
{
    public const string Path = "/usr/bin/aws";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static void RequireInstalled()
    {
        if (!File.Exists(Path))
            Assert.Fail($"The AWS CLI is not installed at {Path}; these tests run the real CLI against the sandbox. Install it with `apt-get install awscli`.");
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    /// <summary>Runs <c>aws ec2 ...</c> and requires success; returns the parsed JSON output (null when the command prints nothing).</summary>
    public async Task<JsonElement?> Ec2Async(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"aws ec2 {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}");
        return string.IsNullOrWhiteSpace(result.Stdout) ? null : result.Json;
    }

    /// <summary>Runs <c>aws ec2 ...</c> that must fail with <paramref name="code"/>; returns the CLI's error text.</summary>
    public async Task<string> Ec2FailsAsync(string code, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode != 0, $"aws ec2 {string.Join(' ', args)} succeeded but should have failed with {code}:\n{result.Stdout}");
        Assert.Contains($"({code})", result.Stderr);
        return result.Stderr;
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--endpoint-url", endpoint.ToString().TrimEnd('/'), "--output", "json", "--no-cli-pager", "ec2", .. args])
            start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretKey;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
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
            Assert.Fail($"aws ec2 {string.Join(' ', args)} did not finish within {Deadline.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
