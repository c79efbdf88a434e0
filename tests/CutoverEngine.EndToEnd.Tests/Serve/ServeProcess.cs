using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// `cutover serve` as a real process on a free loopback port, configured for the harness's sandbox and database,
/// with an operator key (olga) and an auditor key (audrey). Killed with its children on dispose. Also runs the
/// CLI beside it on the same settings.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    public const string OperatorKey = "op-key-0123456789abcdef";
    public const string AuditorKey = "au-key-0123456789abcdef";

    /// <summary>A second person with the operator role (oscar), for the four-eyes rules.</summary>
    public const string SecondOperatorKey = "op2-key-0123456789abcdef";

    /// <summary>An approver (petra): reads and approves, changes nothing else.</summary>
    public const string ApproverKey = "ap-key-0123456789abcdef";

    readonly Process _process;
    readonly StringBuilder _stderr = new();

    ServeProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The status of the first answer (to GET /api/waves without a key).</summary>
    public HttpStatusCode FirstStatus { get; private set; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The process id, as the store's lock file names its holder.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the process wrote to stderr so far, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    static string CutoverDll => Path.Combine(AppContext.BaseDirectory, "cutover.dll");

    static ProcessStartInfo Cutover(CutoverHarness h, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = h.Directory,
        };
        psi.ArgumentList.Add(CutoverDll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Starts serve (again: same settings, same database) and returns once it answers HTTP (deadline 90
    /// s).</summary>
    public static async Task<ServeProcess> StartAsync(CutoverHarness h)
    {
        var configFile = WriteConfig(h);
        var inventoryFile = h.WriteInventoryFile();
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var serve = new ServeProcess(
            Process.Start(
                Cutover(h, ["serve", "--inventory", inventoryFile, "--config", configFile, "--urls", baseUrl])
            )!,
            baseUrl
        );
        serve._process.ErrorDataReceived += (_, e) =>
        {
            lock (serve._stderr)
                serve._stderr.AppendLine(e.Data);
        };
        serve._process.BeginErrorReadLine();
        serve._process.OutputDataReceived += (_, _) => { };
        serve._process.BeginOutputReadLine();

        using var anonymous = serve.Client(null);
        try
        {
            var answer = await Eventually.UntilAsync<HttpStatusCode?>(
                async () =>
                {
                    try
                    {
                        return (await anonymous.GetAsync("/api/waves")).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                },
                status => status is not null || serve.HasExited,
                TimeSpan.FromSeconds(90),
                "serve to answer",
                _ => serve.Errors
            );
            if (answer is null)
                throw new Xunit.Sdk.XunitException($"serve exited {serve.ExitCode}: {serve.Errors}");
            serve.FirstStatus = answer.Value;
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a CLI command on serve's settings and inventory (appended) to its end; returns exit code and
    /// output.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(
        CutoverHarness h,
        params string[] args
    ) => RunCliWithInventoryAsync(h, h.WriteInventoryFile(), args);

    /// <summary>Runs a CLI command on serve's settings and the given inventory file.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunCliWithInventoryAsync(
        CutoverHarness h,
        string inventoryFile,
        params string[] args
    ) => RunCutoverAsync(h, [.. args, "--inventory", inventoryFile, "--config", WriteConfig(h)]);

    /// <summary>Runs `cutover` with exactly <paramref name="args"/> in the harness directory to its end (deadline 2
    /// min).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCutoverAsync(
        CutoverHarness h,
        params string[] args
    )
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
        if (key is not null)
            c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    /// <summary>Polls the wave through the API (auditor key) until it reaches <paramref name="state"/>; fails at the
    /// deadline.</summary>
    public async Task<JsonElement> WaitForWaveAsync(
        string wave,
        string state,
        TimeSpan deadline,
        Action<JsonElement>? whileWaiting = null
    )
    {
        using var auditor = Client(AuditorKey);
        var last = await Eventually.UntilAsync(
            async () =>
            {
                if (HasExited)
                    return default;
                var seen = JsonDocument.Parse(await auditor.GetStringAsync($"/api/waves/{wave}")).RootElement;
                if (seen.GetProperty("state").GetString() != state)
                    whileWaiting?.Invoke(seen);
                return seen;
            },
            seen => HasExited || seen.GetProperty("state").GetString() == state,
            deadline,
            $"wave {wave} to reach {state}",
            seen => $"{seen} {Errors}"
        );
        if (HasExited)
            throw new Xunit.Sdk.XunitException($"serve exited {ExitCode} before wave {wave} reached {state}: {Errors}");
        return last;
    }

    /// <summary>Creates a wave with the operator key and starts it now, overriding the notice policy with a
    /// reason.</summary>
    public async Task StartWaveNowAsync(string wave, params string[] environments) =>
        await StartWaveNowAsync(wave, environments.Length, "explicit", environments);

    public async Task StartWaveNowAsync(string wave, int parallel, string order, IReadOnlyList<string> environments)
    {
        using var op = Client(OperatorKey);
        var create = await op.PostAsJsonAsync(
            "/api/waves",
            new
            {
                id = wave,
                environments,
                plannedStart = DateTimeOffset.UtcNow,
                parallel,
                order,
            }
        );
        Assert.True(create.StatusCode == HttpStatusCode.Created, await create.Content.ReadAsStringAsync());
        var start = await op.PostAsJsonAsync(
            $"/api/waves/{wave}/start",
            new { overrideReason = "end-to-end test against the sandbox" }
        );
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The key customer links are signed with (Customers:LinkKey): 32 bytes, base64.</summary>
    public static readonly string CustomerLinkKey = Convert.ToBase64String(
        Encoding.ASCII.GetBytes(new string('k', 32))
    );

    /// <summary>The harness's settings plus the API keys, as serve's (and the CLI's) settings file.</summary>
    public static string WriteConfig(CutoverHarness h) =>
        h.WriteConfigFile(config =>
        {
            config["Customers"] = new JsonObject { ["LinkKey"] = CustomerLinkKey };
            config["Serve"] = new JsonObject
            {
                ["ApiKeys"] = new JsonArray(
                    new JsonObject
                    {
                        ["Name"] = "olga",
                        ["Key"] = OperatorKey,
                        ["Role"] = "operator",
                    },
                    new JsonObject
                    {
                        ["Name"] = "audrey",
                        // Configured as its SHA-256, as a team keeps keys out of the settings file: every test that
                        // reads with the auditor key proves a hashed key works.
                        ["Hash"] =
                            "sha256:"
                            + Convert.ToHexString(
                                System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(AuditorKey))
                            ),
                        ["Role"] = "auditor",
                    },
                    new JsonObject
                    {
                        ["Name"] = "oscar",
                        ["Key"] = SecondOperatorKey,
                        ["Role"] = "operator",
                    },
                    new JsonObject
                    {
                        ["Name"] = "petra",
                        ["Key"] = ApproverKey,
                        ["Role"] = "approver",
                    }
                ),
            };
        });

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown; waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
            return;
        using (
            var kill = Process.Start(
                "kill",
                ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            )!
        )
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
