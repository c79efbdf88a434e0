using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CutoverEngine.Sandbox.SendingControl;
using CutoverEngine.Sandbox.Tests.Mail;
using CutoverEngine.Sandbox.World;
using CutoverEngine.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.SendingControl;

/// <summary>The pause/lease/resume/status API over HTTP, on a fake clock and without mail (the queue stays
/// empty).</summary>
public sealed class SendingControlApiTests : IAsyncLifetime
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly SandboxWorld _world;
    readonly SendingControlServer _server;
    readonly HttpClient _http = new();

    public SendingControlApiTests()
    {
        _world = new SandboxWorld(MailTopology.Build(defaultLeaseSeconds: 300), _clock);
        // No DNS and no MTAs are needed: nothing is produced, so nothing is delivered.
        _server = new SendingControlServer(
            _world,
            new IPEndPoint(IPAddress.Loopback, 9),
            smtpPort: 9,
            generateMail: false
        );
    }

    public async Task InitializeAsync()
    {
        await _server.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        _http.BaseAddress = _server.Endpoint;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? json)
    {
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    static DateTimeOffset Time(JsonElement e, string name)
    {
        var text = e.GetProperty(name).GetString()!;
        Assert.EndsWith("Z", text); // UTC ISO 8601
        return DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Status_of_a_running_environment()
    {
        var (status, body) = await GetAsync("environments/acme-prod/status");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("acme-prod", body.GetProperty("environmentId").GetString());
        Assert.False(body.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("pausedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("leaseExpiresAt").ValueKind);
        Assert.Equal(0, body.GetProperty("queueDepth").GetInt32());
        Assert.Equal(0, body.GetProperty("produced").GetInt64());
        Assert.Equal(0, body.GetProperty("delivered").GetInt64());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("deliveredByAddress").ValueKind);
        Assert.Equal(JsonValueKind.Object, body.GetProperty("deliveredByHost").ValueKind);
        Assert.Equal(0, body.GetProperty("failedAttempts").GetInt64());
        Assert.Equal(0, body.GetProperty("pauses").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastDeliveryAt").ValueKind);
        Assert.False(body.TryGetProperty("outcome", out _));
        Assert.Equal(_clock.GetUtcNow(), Time(body, "now"));

        var (listStatus, list) = await GetAsync("environments");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(
            ["acme-prod"],
            list.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("environmentId").GetString())
        );
        Assert.Equal(new Uri(_server.Endpoint, "environments/acme-prod"), _server.EnvironmentUrl("acme-prod"));
    }

    [Fact]
    public async Task Pause_renew_resume_over_http()
    {
        var t0 = _clock.GetUtcNow();
        var (status, paused) = await PostAsync(
            "environments/acme-prod/pause",
            """{ "leaseSeconds": 120, "reason": "cutover acme-prod", "requestId": "run-1" }"""
        );
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("paused", paused.GetProperty("outcome").GetString());
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(t0, Time(paused, "pausedAt"));
        Assert.Equal(t0.AddSeconds(120), Time(paused, "leaseExpiresAt"));

        _clock.Advance(TimeSpan.FromSeconds(10));
        var (againStatus, again) = await PostAsync(
            "environments/acme-prod/pause",
            """{ "leaseSeconds": 600, "reason": "retry", "requestId": "run-1" }"""
        );
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal("already-paused", again.GetProperty("outcome").GetString());
        Assert.Equal(t0, Time(again, "pausedAt")); // idempotent: the pause that started at t0 goes on
        Assert.Equal(t0.AddSeconds(610), Time(again, "leaseExpiresAt"));
        Assert.Equal(1, again.GetProperty("pauses").GetArrayLength());

        _clock.Advance(TimeSpan.FromSeconds(20));
        var (leaseStatus, renewed) = await PostAsync("environments/acme-prod/lease", """{ "leaseSeconds": 60 }""");
        Assert.Equal(HttpStatusCode.OK, leaseStatus);
        Assert.Equal("lease-renewed", renewed.GetProperty("outcome").GetString());
        Assert.Equal(t0.AddSeconds(90), Time(renewed, "leaseExpiresAt"));

        _clock.Advance(TimeSpan.FromSeconds(5));
        var (resumeStatus, resumed) = await PostAsync("environments/acme-prod/resume", null);
        Assert.Equal(HttpStatusCode.OK, resumeStatus);
        Assert.Equal("resumed", resumed.GetProperty("outcome").GetString());
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        var pause = Assert.Single(resumed.GetProperty("pauses").EnumerateArray());
        Assert.Equal(t0, Time(pause, "pausedAt"));
        Assert.Equal(t0.AddSeconds(35), Time(pause, "resumedAt"));
        Assert.Equal("api", pause.GetProperty("resumedBy").GetString());
        Assert.Equal("cutover acme-prod", pause.GetProperty("reason").GetString());
        Assert.Equal("run-1", pause.GetProperty("requestId").GetString());

        var (noopStatus, noop) = await PostAsync("environments/acme-prod/resume", "{}");
        Assert.Equal(HttpStatusCode.OK, noopStatus);
        Assert.Equal("already-running", noop.GetProperty("outcome").GetString());
        Assert.Equal(1, noop.GetProperty("pauses").GetArrayLength());

        var (conflict, error) = await PostAsync("environments/acme-prod/lease", """{ "leaseSeconds": 60 }""");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("NotPaused", error.GetProperty("error").GetString());
        Assert.Contains("acme-prod", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Pause_without_a_body_takes_the_default_lease()
    {
        var (status, paused) = await PostAsync("environments/acme-prod/pause", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Time(paused, "pausedAt").AddSeconds(300), Time(paused, "leaseExpiresAt"));
    }

    [Theory]
    [InlineData("""{ "leaseSeconds": "soon" }""", "leaseSeconds")]
    [InlineData("""{ "leaseSeconds": -5 }""", "leaseSeconds")]
    [InlineData("""{ "leaseSeconds": 99999999 }""", "leaseSeconds")]
    [InlineData("""{ "reason": 42 }""", "reason")]
    [InlineData("""{ "requestId": ["x"] }""", "requestId")]
    [InlineData("""[1, 2]""", "body")]
    [InlineData("""{ "leaseSeconds": 30""", "body")]
    public async Task A_malformed_body_is_refused_naming_the_field(string json, string field)
    {
        var (status, error) = await PostAsync("environments/acme-prod/pause", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MalformedBody", error.GetProperty("error").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(_server.Environment("acme-prod").Status().Paused);
    }

    [Fact]
    public async Task An_unknown_environment_is_404_naming_it()
    {
        foreach (
            var (method, path) in new[]
            {
                ("GET", "environments/nope/status"),
                ("POST", "environments/nope/pause"),
                ("POST", "environments/nope/resume"),
                ("POST", "environments/nope/lease"),
            }
        )
        {
            var (status, error) = method == "GET" ? await GetAsync(path) : await PostAsync(path, "{}");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("UnknownEnvironment", error.GetProperty("error").GetString());
            Assert.Equal("nope", error.GetProperty("environmentId").GetString());
            Assert.Contains("'nope'", error.GetProperty("message").GetString());
        }
        var ex = Assert.Throws<SendingControlException>(() => _server.Environment("nope"));
        Assert.Equal(404, ex.Status);

        var (routeStatus, routeError) = await GetAsync("environments/acme-prod/frobnicate");
        Assert.Equal(HttpStatusCode.NotFound, routeStatus);
        Assert.Equal("NotFound", routeError.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_expired_lease_resumes_sending_by_itself()
    {
        var env = _server.Environment("acme-prod");
        var t0 = _clock.GetUtcNow();
        await env.PauseAsync(leaseSeconds: 30, reason: "engine died mid-cutover");

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(env.Status().Paused);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var (status, body) = await GetAsync("environments/acme-prod/status");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("paused").GetBoolean());
        var pause = Assert.Single(body.GetProperty("pauses").EnumerateArray());
        Assert.Equal("lease-expiry", pause.GetProperty("resumedBy").GetString());
        Assert.Equal(t0.AddSeconds(30), Time(pause, "resumedAt"));
        Assert.Equal("engine died mid-cutover", pause.GetProperty("reason").GetString());

        // Renewing an expired lease is refused; a new pause starts a new record.
        Assert.Equal(409, Assert.Throws<SendingControlException>(() => env.RenewLease(60)).Status);
        var again = await env.PauseAsync(leaseSeconds: 60);
        Assert.Equal("paused", again.Outcome);
        Assert.Equal(2, again.Pauses.Count);
    }

    [Fact]
    public async Task Mail_queued_during_a_pause_is_attempted_once_the_lease_expires()
    {
        var env = _server.Environment("acme-prod");
        await env.PauseAsync(leaseSeconds: 30);
        env.Produce(1);
        var whilePaused = env.Status();
        Assert.Equal(1, whilePaused.QueueDepth);
        Assert.Equal(0, whilePaused.FailedAttempts);

        // Advance fires the lease timer, which resumes and wakes the delivery loop.
        _clock.Advance(TimeSpan.FromSeconds(31));
        await Eventually.TrueAsync(
            () => env.Status().FailedAttempts > 0,
            TimeSpan.FromSeconds(10),
            () =>
                "a delivery attempt after the lease expired (DNS at port 9 does not answer, which counts as a failed attempt)"
        );
        var status = env.Status();
        Assert.False(status.Paused);
        Assert.Equal(1, status.QueueDepth); // a failed attempt keeps the message
        Assert.Equal(0, status.Delivered);
        Assert.Contains("DNS", status.LastFailure);
    }
}
