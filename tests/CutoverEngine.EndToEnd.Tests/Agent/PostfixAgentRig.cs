using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CutoverEngine.Agent.Leases;
using CutoverEngine.Agent.Tests.Postfix;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Sandbox.Smtp;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Agent;

/// <summary>
/// One environment's real sending side: a private Debian Postfix relaying to the environment's first MTA host name
/// (<c>relayhost = [NAME]:PORT</c>, <c>smtp_host_lookup = dns</c>), and the `cutover agent` process controlling it.
/// Both run in their own mount namespace (<c>unshare -m</c>) whose /etc/resolv.conf, bind-mounted, names the sandbox's
/// DNS on port 53 of a loopback address: Postfix resolves the host name through the real resolver library, so a
/// repointed record moves its mail. The sandbox and the sending application (this class, injecting over SMTP) run in
/// the test process; the engine is a `cutover run` process with the agent's token in its environment.
/// </summary>
public sealed class PostfixAgentRig : IAsyncDisposable
{
    public const string Env = "acme-stg";
    public const string TokenEnv = "CUTOVER_E2E_AGENT_TOKEN";

    /// <summary>A loopback address of its own for the sandbox's DNS on port 53 (127.0.0.53 is systemd-resolved's
    /// where it runs).</summary>
    public static readonly IPAddress DnsAddress = IPAddress.Parse("127.83.0.53");

    readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    readonly HttpClient _http = new();
    readonly ConcurrentDictionary<string, DateTimeOffset> _produced = new(StringComparer.Ordinal);
    readonly CancellationTokenSource _stopProducing = new();
    Task? _producer;

    PostfixAgentRig(CutoverHarness harness) => Harness = harness;

    public CutoverHarness Harness { get; }
    public PostfixInstance Postfix { get; private set; } = null!;
    public AgentProcess Agent { get; private set; } = null!;
    public CutoverEnvironment Environment { get; private set; } = null!;
    public Uri AgentControl => new(Agent.Endpoint, $"v1/environments/{Env}");

    /// <summary>Message-ID and when it was handed to Postfix.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Produced => _produced;

    public static async Task<PostfixAgentRig> StartAsync(
        Action<JsonObject>? definition = null,
        Action<CutoverEngine.Sandbox.Topology.SandboxTopology>? topology = null
    )
    {
        RequireRootAndTools();
        var harness = await CutoverHarness.StartAsync(
            definition: definition,
            topology: topology,
            run: o =>
            {
                o.BindAddress = DnsAddress;
                o.DnsPort = 53;
            }
        );
        var rig = new PostfixAgentRig(harness);
        try
        {
            await rig.StartSendingSideAsync();
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
        return rig;
    }

    static void RequireRootAndTools()
    {
        if (System.Environment.UserName != "root")
            throw new InvalidOperationException(
                "The agent's end-to-end test runs Postfix as root in its own mount namespace; run it as root."
            );
        foreach (var tool in new[] { "/usr/sbin/postfix", "/usr/bin/unshare" })
            if (!File.Exists(tool))
                throw new InvalidOperationException(
                    $"{tool} is missing: ./test.sh installs postfix (util-linux has unshare)."
                );
    }

    async Task StartSendingSideAsync()
    {
        Environment = Harness.Inventory.Environments.Single(e => e.Id == Env);
        var host = Environment.MtaHosts[0];
        Postfix = await PostfixInstance.CreateAsync($"[{host.Name}]:{Harness.Sandbox.SmtpPort}", "dns");
        var resolv = Path.Combine(Harness.Directory, "resolv.conf");
        await File.WriteAllTextAsync(resolv, $"nameserver {DnsAddress}\noptions timeout:1 attempts:3\n");
        var config = Path.Combine(Harness.Directory, "agent.yaml");
        await File.WriteAllTextAsync(
            config,
            $"""
            listen:
              url: http://127.0.0.1:0
            stateDirectory: {Harness.Directory}/agent-state
            logFile: {Harness.Directory}/agent.log
            lease:
              minSeconds: 1
            tokens:
              - name: engine
                sha256: {CutoverEngine.Agent.Http.BearerTokens.HashHex(_token)}
                environments: ["{Env}"]
            environments:
              {Env}:
                driver: postfix
                postfix:
                  configDirectory: {Postfix.ConfigDirectory}
            """
        );
        // Postfix's master and the agent share the namespace; `exec` makes the agent the process a kill -9 hits.
        Agent = await AgentProcess.StartAsync([
            "unshare",
            "-m",
            "sh",
            "-c",
            "mount --bind \"$1\" /etc/resolv.conf && /usr/sbin/postfix -c \"$2\" start >&2 "
                + "&& exec dotnet \"$3\" agent --config \"$4\"",
            "sh",
            resolv,
            Postfix.ConfigDirectory,
            Path.Combine(AppContext.BaseDirectory, "cutover.dll"),
            config,
        ]);
    }

    /// <summary>The sandbox's inventory with this environment's sending control pointed at the agent, its token read
    /// from <see cref="TokenEnv"/>.</summary>
    public string WriteInventoryFile()
    {
        var file = Harness.WriteInventoryFile();
        var yaml = File.ReadAllText(file);
        var line = new Regex(
            $@"^(?<indent> *)sendingControl: ""?[^\n""]*/environments/{Env}""?$",
            RegexOptions.Multiline
        );
        var match = line.Match(yaml);
        Assert.True(match.Success, "the sandbox inventory names no sending control for " + Env);
        var indent = match.Groups["indent"].Value;
        yaml = line.Replace(
            yaml,
            $"{indent}sendingControl: {AgentControl}\n{indent}sendingControlAuth:\n{indent}  tokenEnv: {TokenEnv}",
            1
        );
        File.WriteAllText(file, yaml);
        return file;
    }

    public Process StartCutover(string configFile, string inventoryFile)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Harness.Directory,
        };
        foreach (
            var a in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "cutover.dll"),
                "run",
                inventoryFile,
                "--environments",
                Env,
                "--config",
                configFile,
                "--output",
                "json",
            }
        )
            psi.ArgumentList.Add(a);
        psi.Environment[TokenEnv] = _token;
        return Process.Start(psi)!;
    }

    public async Task<AgentStatus> StatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(AgentControl + "/status"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"agent status: HTTP {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<AgentStatus>(text, CutoverEngine.Agent.Http.AgentServer.Json)!;
    }

    /// <summary>One message handed to Postfix now.</summary>
    public async Task<string> InjectAsync(string label)
    {
        var id = await SmtpInjector.SendAsync(Postfix.SmtpPort, label);
        _produced[id] = DateTimeOffset.UtcNow;
        return id;
    }

    /// <summary>The sending application: a message every 250 ms until <see cref="StopProducingAsync"/>.</summary>
    public void StartProducing() =>
        _producer = Task.Run(async () =>
        {
            var n = 0;
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                while (await tick.WaitForNextTickAsync(_stopProducing.Token))
                    await InjectAsync($"app-{n++}");
            }
            catch (OperationCanceledException) { }
        });

    public async Task StopProducingAsync()
    {
        await _stopProducing.CancelAsync();
        if (_producer is not null)
            await _producer;
    }

    /// <summary>The sandbox's receipts of the messages this rig produced.</summary>
    public IReadOnlyList<MailReceipt> Receipts() =>
        [
            .. Harness
                .Sandbox.Mail.Hosts()
                .Values.SelectMany(j => j.Receipts)
                .Where(r => r.MessageId is not null && _produced.ContainsKey(r.MessageId))
                .OrderBy(r => r.AcceptedAt),
        ];

    /// <summary>Waits until every produced message was accepted by a sandbox MTA, and returns the receipts.</summary>
    public async Task<IReadOnlyList<MailReceipt>> AllDeliveredAsync(TimeSpan within) =>
        await Eventually.UntilAsync(
            Receipts,
            r => r.Select(x => x.MessageId).Distinct().Count() == _produced.Count,
            within,
            "every produced message delivered",
            r => $"{r.Select(x => x.MessageId).Distinct().Count()} of {_produced.Count} delivered"
        );

    public async ValueTask DisposeAsync()
    {
        await StopProducingAsync();
        Agent?.Dispose();
        if (Postfix is not null)
            await Postfix.DisposeAsync();
        _http.Dispose();
        _stopProducing.Dispose();
        await Harness.DisposeAsync();
    }
}
