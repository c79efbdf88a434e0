using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace CutoverEngine.EndToEnd.Tests.Sandbox;

/// <summary>`cutover sandbox` as an operator runs it: a foreground process that prints its endpoints and serves
/// them.</summary>
public sealed class SandboxCommandTests
{
    [Fact]
    public async Task The_sandbox_command_prints_its_endpoints_as_json_and_serves_them_until_stopped()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var a in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "cutover.dll"),
                "sandbox",
                "--aws-port",
                "0",
                "--dns-port",
                "0",
                "--sending-port",
                "0",
                "--smtp-port",
                "0",
                "--output",
                "json",
            }
        )
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
                stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.False(string.IsNullOrEmpty(line), $"no endpoints printed; stderr: {stderr}");
            var endpoints = JsonDocument.Parse(line!).RootElement;
            Assert.Equal(15, endpoints.GetProperty("environments").GetInt32());
            Assert.Equal(
                "AKIASANDBOX000000001",
                endpoints.GetProperty("accounts")[0].GetProperty("accessKeyId").GetString()
            );

            using var http = new HttpClient
            {
                BaseAddress = new Uri(endpoints.GetProperty("sendingControl").GetString()!),
            };
            var list = await http.GetFromJsonAsync<JsonElement>("environments", timeout.Token);
            Assert.Equal(15, list.GetProperty("environments").GetArrayLength());

            // The AWS endpoint refuses an unsigned request the way AWS does.
            var unsigned = await http.GetAsync(
                new Uri(new Uri(endpoints.GetProperty("aws").GetString()!), "/2013-04-01/hostedzonesbyname"),
                timeout.Token
            );
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, unsigned.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
