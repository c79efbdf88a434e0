using System.Diagnostics;
using System.Text.Json;
using CutoverEngine.Sandbox;

namespace CutoverEngine.Sandbox.Tests.Support;

/// <summary>Runs the real AWS CLI (Debian's awscli) against a sandbox, as an operator would.</summary>
public static class AwsCli
{
    public static string Path
    {
        get
        {
            foreach (var candidate in new[] { "/usr/bin/aws", "/usr/local/bin/aws" })
                if (File.Exists(candidate)) return candidate;
            throw new InvalidOperationException("The AWS CLI is not installed: run `apt-get install -y awscli` (.ci/run does).");
        }
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    public static async Task<Result> RunAsync(SandboxHost sandbox, int account, params string[] args)
    {
        var a = sandbox.Topology.Accounts[account];
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--endpoint-url");
        psi.ArgumentList.Add(sandbox.AwsEndpoint.ToString().TrimEnd('/'));
        psi.ArgumentList.Add("--output");
        psi.ArgumentList.Add("json");
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["AWS_ACCESS_KEY_ID"] = a.AccessKeyId;
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = a.SecretAccessKey;
        psi.Environment["AWS_DEFAULT_REGION"] = a.Region;
        psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
        psi.Environment["AWS_PAGER"] = "";
        psi.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        psi.Environment.Remove("AWS_PROFILE");
        psi.Environment.Remove("AWS_SESSION_TOKEN");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
