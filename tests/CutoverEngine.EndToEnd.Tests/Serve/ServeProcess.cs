using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>`cutover serve` as a real process on a free loopback port, on a harness's sandbox and store; and the CLI beside it.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    public const string OperatorKey = "op-key-0123456789abcdef";
    public const string AuditorKey = "au-key-0123456789abcdef";

    static string CutoverDll => Path.Combine(AppContext.BaseDirectory, "cutover.dll");

    readonly Process _process;
    readonly StringBuilder _stderr = new();

    ServeProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public Process Process => _process;
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>The harness's engine settings plus API keys (olga: operator, audrey: auditor) as a JSON file.</summary>
    public static string WriteConfig(CutoverHarness h) => h.WriteConfigFile(config => config["Serve"] = new JsonObject
    {
        ["ApiKeys"] = new JsonArray(
            new JsonObject { ["Name"] = "olga", ["Key"] = OperatorKey, ["Role"] = "operator" },
            new JsonObject { ["Name"] = "audrey", ["Key"] = AuditorKey, ["Role"] = "auditor" }),
    });

    public static string WriteInventory(CutoverHarness h) => h.WriteInventoryFile();

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    static ProcessStartInfo Cutover(CutoverHarness h, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = h.Directory };
        psi.ArgumentList.Add(CutoverDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Starts serve; returns once it answers HTTP (401 to an anonymous call).</summary>
    public static async Task<ServeProcess> StartAsync(CutoverHarness h, string configFile, string inventoryFile, string? baseUrl = null)
    {
        baseUrl ??= $"http://127.0.0.1:{FreePort()}";
        var serve = new ServeProcess(Process.Start(Cutover(h, ["serve", "--inventory", inventoryFile, "--config", configFile, "--urls", baseUrl]))!, baseUrl);
        serve._process.ErrorDataReceived += (_, e) => { lock (serve._stderr) serve._stderr.AppendLine(e.Data); };
        serve._process.BeginErrorReadLine();
        serve._process.OutputDataReceived += (_, _) => { };
        serve._process.BeginOutputReadLine();
        using var anonymous = serve.Client(null);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !serve._process.HasExited)
        {
            try
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/waves")).StatusCode);
                return serve;
            }
            catch (HttpRequestException) { await Task.Delay(100); }
        }
        await serve.DisposeAsync();
        throw new Xunit.Sdk.XunitException("serve never answered: " + serve.Stderr);
    }

    /// <summary>Runs a CLI command to its end; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(CutoverHarness h, params string[] args)
    {
        using var p = Process.Start(Cutover(h, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    public HttpClient Client(string? key)
    {
        var c = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    /// <summary>Polls the wave through the API (auditor) until <paramref name="done"/> says so; fails on the deadline or if serve exits.</summary>
    public async Task<JsonElement> WaitForWaveAsync(string waveId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        using var auditor = Client(AuditorKey);
        var deadline = DateTime.UtcNow + timeout;
        JsonElement wave = default;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            wave = JsonDocument.Parse(await auditor.GetStringAsync($"/api/waves/{waveId}")).RootElement;
            if (done(wave)) return wave;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"wave {waveId} not done in {timeout}: {wave} {Stderr}");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
