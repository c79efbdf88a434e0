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
        var settingsFile = Path.Combine(Directory.CreateTempSubdirectory("cutover-sandbox-").FullName, "s.json");
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
                "--settings-out",
                settingsFile,
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

            // The engine settings pointing at this sandbox: written where asked, named in the output, with the
            // endpoint it listens on (port 0 asked, so a port only the running sandbox knows) and serve's keys.
            Assert.Equal(settingsFile, endpoints.GetProperty("settings").GetString());
            var settings = JsonDocument.Parse(File.ReadAllText(settingsFile)).RootElement;
            Assert.Equal(
                endpoints.GetProperty("aws").GetString()!.TrimEnd('/'),
                settings.GetProperty("Aws").GetProperty("ServiceUrl").GetString()
            );
            Assert.Equal(
                endpoints.GetProperty("dns").GetString(),
                settings
                    .GetProperty("Sending")
                    .GetProperty("Verification")
                    .GetProperty("AuthoritativeServerOverride")
                    .GetString()
            );
            Assert.Equal(2, settings.GetProperty("Aws").GetProperty("Accounts").GetArrayLength());
            var keys = settings.GetProperty("Serve").GetProperty("ApiKeys");
            Assert.Equal(["operator", "auditor"], keys.EnumerateArray().Select(k => k.GetProperty("Role").GetString()));
            Assert.Equal(endpoints.GetProperty("auditorKey").GetString(), keys[1].GetProperty("Key").GetString());

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
