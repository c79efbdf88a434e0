using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Leases;
using CutoverEngine.Agent.Tests.Support;

namespace CutoverEngine.Agent.Tests.Postfix;

/// <summary>
/// The agent over a real Postfix (Debian's package) relaying to a loopback sink that counts Message-IDs: mail before,
/// during and after a pause; nothing delivered while paused; each message exactly once after resume; the lease
/// lapsing by itself; kill -9 of the agent process mid-pause.
/// </summary>
[Collection("real postfix")]
public sealed class RealPostfixTests(PostfixFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<PostfixFixture>,
        IAsyncLifetime
{
    const string Env = "acme-prod";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    readonly string _dir = TestConfigs.TempDirectory();
    readonly HttpClient _http = new();
    readonly List<IAsyncDisposable> _hosts = [];

    /// <summary>
    /// The issue's bound for a lapse: held mail is delivered again by lease + 2 s. The agent's part is two Postfix
    /// commands (postconf -h, postconf -e), a SIGHUP by system call and the flush; Postfix's part a new qmgr and
    /// an smtp client. Measured figures in README.
    /// </summary>
    static readonly TimeSpan LapseBound = TimeSpan.FromSeconds(2);

    SmtpSink Sink => fixture.Sink;
    PostfixInstance Postfix => fixture.Postfix;

    AgentConfig Config() =>
        TestConfigs.Config(_dir) with
        {
            MinLease = TimeSpan.FromSeconds(1),
            Environments = new Dictionary<string, EnvironmentConfig>
            {
                [Env] = new(
                    Env,
                    "postfix",
                    new PostfixSettings
                    {
                        ConfigDirectory = Postfix.ConfigDirectory,
                        CommandDirectory = PostfixInstance.Commands,
                    }
                ),
            },
        };

    async Task<Uri> StartAgentAsync()
    {
        var host = await AgentHost.StartAsync(Config(), TimeProvider.System, null, default);
        _hosts.Add(host);
        return host.Endpoint;
    }

    async Task<AgentStatus> CallAsync(Uri agent, string action, object? body = null)
    {
        using var request = new HttpRequestMessage(
            body is null && action == "status" ? HttpMethod.Get : HttpMethod.Post,
            new Uri(agent, $"v1/environments/{Env}/{action}")
        );
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestConfigs.OpsToken);
        if (action != "status")
            request.Content = JsonContent.Create(body ?? new { });
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{action}: HTTP {(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<AgentStatus>(
            text,
            CutoverEngine.Agent.Http.AgentServer.Json
        )!;
    }

    async Task<List<string>> InjectAsync(string label, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
            ids.Add(await SmtpInjector.SendAsync(Postfix.SmtpPort, $"{label}-{i}"));
        return ids;
    }

    Task ArrivedAsync(IReadOnlyCollection<string> ids, string what) =>
        Eventually.HoldsAsync(() => Sink.CountOf(ids), n => n == ids.Count, Deadline, what);

    [Fact]
    public async Task Mail_held_while_paused_arrives_exactly_once_after_resume()
    {
        var agent = await StartAgentAsync();
        var before = await InjectAsync("before", 3);
        await ArrivedAsync(before, "mail before the pause");

        var paused = await CallAsync(
            agent,
            "pause",
            new
            {
                leaseSeconds = 120,
                reason = "cutover",
                requestId = "run-1",
            }
        );
        Assert.Equal("paused", paused.Outcome);
        Assert.Equal("smtp relay", await Postfix.DeferTransportsAsync());
        Assert.True(paused.MtaPaused);

        var during = await InjectAsync("during", 4);
        var held = await Eventually.HoldsAsync(
            () => CallAsync(agent, "status"),
            // At least these: the instance is shared by the class, and mail an earlier test left queued is held too.
            s => s.Deferred >= during.Count,
            Deadline,
            "messages deferred while paused"
        );
        Assert.True(held.QueueDepth >= during.Count, $"queue depth {held.QueueDepth}, {during.Count} held");
        Assert.Equal(0, Sink.CountOf(during));

        var again = await CallAsync(
            agent,
            "pause",
            new
            {
                leaseSeconds = 120,
                reason = "cutover",
                requestId = "run-1",
            }
        );
        Assert.Equal("already-paused", again.Outcome);
        Assert.Equal(paused.PausedAt, again.PausedAt);
        Assert.Equal(0, Sink.CountOf(during));

        var resumed = await CallAsync(agent, "resume", new { reason = "verified" });
        Assert.Equal("resumed", resumed.Outcome);
        Assert.Equal("", await Postfix.DeferTransportsAsync());
        await ArrivedAsync(during, "held mail after resume");
        Assert.Equal("already-running", (await CallAsync(agent, "resume", new { reason = "verified" })).Outcome);

        var after = await InjectAsync("after", 2);
        await ArrivedAsync(after, "mail after the resume");
        await Eventually.HoldsAsync(
            () => CallAsync(agent, "status"),
            s => s.QueueDepth == 0,
            Deadline,
            "queue drained"
        );
        Assert.All(before.Concat(during).Concat(after), id => Assert.Equal(1, Sink.Received[id]));
    }

    [Fact]
    public async Task An_unrenewed_lease_resumes_postfix_by_itself_and_held_mail_arrives_within_lease_plus_2_s()
    {
        var agent = await StartAgentAsync();
        var paused = await CallAsync(
            agent,
            "pause",
            new
            {
                leaseSeconds = 15,
                reason = "cutover",
                requestId = "run-lapse",
            }
        );
        var during = await InjectAsync("lapse", 2);
        await Eventually.HoldsAsync(
            () => CallAsync(agent, "status"),
            s => s.Deferred == during.Count,
            Deadline,
            "deferred"
        );
        Assert.Equal(0, Sink.CountOf(during));

        var expiry = paused.LeaseExpiresAt!.Value;
        await LapsedOnDiskAsync(_dir, expiry);
        var lapsed = await CallAsync(agent, "status");
        Assert.False(lapsed.Paused);
        Assert.Equal("resumed by lease-expiry", lapsed.LastResume);
        Assert.Equal("", await Postfix.DeferTransportsAsync());
        await ArrivedAsync(during, "held mail after the lapse");
        AssertDeliveredWithinBound(lapsed.Pauses[^1], expiry, during);
        Assert.All(during, id => Assert.Equal(1, Sink.Received[id]));
    }

    [Fact]
    public async Task Kill_9_of_the_agent_mid_pause_keeps_postfix_paused_and_the_lease_still_lapses_on_time()
    {
        var configFile = Path.Combine(_dir, "agent.yaml");
        await File.WriteAllTextAsync(
            configFile,
            $"""
            listen:
              url: http://127.0.0.1:0
            stateDirectory: {_dir}/state
            lease:
              minSeconds: 1
            tokens:
              - name: ops
                sha256: {CutoverEngine.Agent.Http.BearerTokens.HashHex(TestConfigs.OpsToken)}
                environments: ["*"]
            environments:
              {Env}:
                driver: postfix
                postfix:
                  configDirectory: {Postfix.ConfigDirectory}
            """,
            Encoding.UTF8
        );
        AgentStatus paused;
        using (var first = await AgentProcess.StartAsync(configFile))
        {
            paused = await CallAsync(
                first.Endpoint,
                "pause",
                new
                {
                    leaseSeconds = 45,
                    reason = "cutover",
                    requestId = "run-kill",
                }
            );
            first.KillHard();
        }
        Assert.Equal("smtp relay", await Postfix.DeferTransportsAsync());
        var during = await InjectAsync("killed", 2);

        using var second = await AgentProcess.StartAsync(configFile);
        var restored = await CallAsync(second.Endpoint, "status");
        Assert.True(restored.Paused);
        Assert.Equal(paused.PausedAt, restored.PausedAt);
        Assert.Equal(paused.LeaseExpiresAt, restored.LeaseExpiresAt);
        await Eventually.HoldsAsync(
            () => CallAsync(second.Endpoint, "status"),
            s => s.Deferred == during.Count,
            Deadline,
            "deferred"
        );
        Assert.Equal(0, Sink.CountOf(during));

        var expiry = paused.LeaseExpiresAt!.Value;
        await LapsedOnDiskAsync(Path.Combine(_dir, "state"), expiry);
        var lapsed = await CallAsync(second.Endpoint, "status");
        Assert.False(lapsed.Paused);
        Assert.Equal(SendingPauses.ResumedByLeaseExpiry, lapsed.Pauses[^1].ResumedBy);
        Assert.Equal("", await Postfix.DeferTransportsAsync());
        await ArrivedAsync(during, "held mail after the lapse");
        AssertDeliveredWithinBound(lapsed.Pauses[^1], expiry, during);
        var r = lapsed.Pauses[^1];
        output.WriteLine(
            $"TIMING start {(r.ResumeStartedAt!.Value - expiry).TotalSeconds:0.000} resumed {(r.ResumedAt!.Value - expiry).TotalSeconds:0.000} arrived "
                + string.Join(
                    ",",
                    during.Select(i => (Sink.FirstReceivedAt[i] - expiry).TotalSeconds.ToString("0.000"))
                )
        );
        Assert.All(during, id => Assert.Equal(1, Sink.Received[id]));
    }

    /// <summary>Waits for the lapse by reading the agent's state file: polling the status instead would run two
    /// Postfix commands per look, competing with the resume being timed.</summary>
    static Task LapsedOnDiskAsync(string stateDirectory, DateTimeOffset expiry) =>
        Eventually.HoldsAsync(
            () => new StateFile(stateDirectory).Load().Environments[Env],
            s => !s.Paused,
            expiry - DateTimeOffset.UtcNow + Deadline,
            "resume by lease-expiry in the agent's state file"
        );

    /// <summary>
    /// The issue's bound, on what the receiving side saw: the resume started no earlier than the lease's expiry, and
    /// every held message reached the sink after the expiry and by lease + 2 s. All instants come from the one host
    /// clock (the agent's recorded expiry and resume, the sink's receipt); the message gives every figure.
    /// </summary>
    void AssertDeliveredWithinBound(AgentPauseRecord record, DateTimeOffset expiry, IReadOnlyList<string> held)
    {
        var started = (record.ResumeStartedAt!.Value - expiry).TotalSeconds;
        var resumed = (record.ResumedAt!.Value - expiry).TotalSeconds;
        var arrived = held.Select(id => (Sink.FirstReceivedAt[id] - expiry).TotalSeconds).ToList();
        var figures =
            $"after the lease's expiry: resume started {started:0.000} s, running recorded {resumed:0.000} s, "
            + $"held mail received {string.Join(", ", arrived.Select(a => a.ToString("0.000", CultureInfo.InvariantCulture)))} s";
        output.WriteLine(figures);
        Assert.True(
            started >= 0 && arrived.All(a => a >= 0 && a <= LapseBound.TotalSeconds),
            $"{figures}; bound: the resume starts and the mail arrives within 0..{LapseBound.TotalSeconds:0} s"
        );
    }

    [Fact]
    public async Task A_defer_transports_someone_else_set_is_reported_and_left_alone()
    {
        var agent = await StartAgentAsync();
        await ProcessRunnerSet("defer_transports=smtp");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(agent, $"v1/environments/{Env}/pause"))
            {
                Content = JsonContent.Create(new { leaseSeconds = 60 }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestConfigs.OpsToken);
            using var response = await _http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("smtp", await Postfix.DeferTransportsAsync());
            var status = await CallAsync(agent, "status");
            Assert.False(status.Paused);
            Assert.Contains("did not set", status.ForeignPause);
        }
        finally
        {
            await ProcessRunnerSet("defer_transports=");
        }
    }

    Task ProcessRunnerSet(string setting) =>
        CutoverEngine.Agent.Drivers.ProcessRunner.RunCheckedAsync(
            [Path.Combine(PostfixInstance.Commands, "postconf"), "-c", Postfix.ConfigDirectory, "-e", setting],
            TimeSpan.FromSeconds(30),
            default
        );

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var h in _hosts)
            await h.DisposeAsync();
        _http.Dispose();
        // Leave the shared instance running and unpaused for the next test.
        await ProcessRunnerSet("defer_transports=");
        await CutoverEngine.Agent.Drivers.ProcessRunner.RunCheckedAsync(
            [Path.Combine(PostfixInstance.Commands, "postfix"), "-c", Postfix.ConfigDirectory, "reload"],
            TimeSpan.FromSeconds(30),
            default
        );
        Directory.Delete(_dir, recursive: true);
    }
}
