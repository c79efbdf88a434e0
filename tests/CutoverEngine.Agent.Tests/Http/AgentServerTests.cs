using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CutoverEngine.Agent.Tests.Support;

namespace CutoverEngine.Agent.Tests.Http;

/// <summary>The protocol over loopback HTTP with in-memory drivers: authentication, refusals that change nothing, wire
/// shape.</summary>
public sealed class AgentServerTests : IAsyncLifetime
{
    readonly string _dir = TestConfigs.TempDirectory();
    readonly StringWriter _console = new();
    readonly Dictionary<string, FakeDriver> _drivers = new() { ["acme-prod"] = new(), ["acme-stg"] = new() };
    readonly HttpClient _http = new();
    AgentHost _host = null!;

    string LogFile => Path.Combine(_dir, "agent.log");

    public async Task InitializeAsync()
    {
        _host = await AgentHost.StartAsync(
            TestConfigs.Config(_dir, LogFile),
            TimeProvider.System,
            _console,
            default,
            e => _drivers[e.Id]
        );
    }

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(_host.Endpoint, path));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return _http.SendAsync(request);
    }

    static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    const string Pause = """{"leaseSeconds": 300, "reason": "cutover", "requestId": "run-1"}""";

    [Fact]
    public async Task A_call_without_a_token_is_401_and_changes_nothing()
    {
        var response = await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/pause", null, Pause);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_drivers["acme-prod"].Calls);
    }

    [Fact]
    public async Task A_wrong_token_is_401()
    {
        var response = await SendAsync(
            HttpMethod.Post,
            "v1/environments/acme-prod/pause",
            "not-" + TestConfigs.OpsToken,
            Pause
        );
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_drivers["acme-prod"].Calls);
    }

    [Fact]
    public async Task A_token_not_allowed_the_environment_is_403_and_changes_nothing()
    {
        var response = await SendAsync(
            HttpMethod.Post,
            "v1/environments/acme-prod/pause",
            TestConfigs.StagingToken,
            Pause
        );
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_drivers["acme-prod"].Calls);
        var allowed = await SendAsync(
            HttpMethod.Post,
            "v1/environments/acme-stg/pause",
            TestConfigs.StagingToken,
            Pause
        );
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task An_unknown_environment_is_404_naming_the_known_ones()
    {
        var response = await SendAsync(HttpMethod.Post, "v1/environments/acme-dev/pause", TestConfigs.OpsToken, Pause);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("UnknownEnvironment", body.GetProperty("error").GetString());
        Assert.Contains("acme-prod", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_changes_nothing()
    {
        var big =
            $$"""{"leaseSeconds": 300, "reason": "{{new string('x', (int)TestConfigs.Config(_dir).MaxBodyBytes)}}"}""";
        var response = await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/pause", TestConfigs.OpsToken, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_drivers["acme-prod"].Calls);
    }

    [Theory]
    [InlineData("""{"leaseSeconds": 10}""", "leaseSeconds")]
    [InlineData("""{"leaseSeconds": "300"}""", "leaseSeconds")]
    [InlineData("""{"reason": "no lease"}""", "leaseSeconds")]
    [InlineData("""[1]""", "body")]
    public async Task A_malformed_pause_is_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var response = await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/pause", TestConfigs.OpsToken, json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await BodyAsync(response)).GetProperty("field").GetString());
        Assert.Empty(_drivers["acme-prod"].Calls);
    }

    [Fact]
    public async Task Pause_status_and_resume_answer_in_the_shape_the_engine_reads()
    {
        var paused = await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/pause", TestConfigs.OpsToken, Pause);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var status = await paused.Content.ReadFromJsonAsync<CutoverEngine.Sending.SendingControl.SendingStatus>();
        Assert.Equal("paused", status!.Outcome);
        Assert.True(status.Paused);
        Assert.Equal("run-1", Assert.Single(status.Pauses).RequestId);
        var resumed = await (
            await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/resume", TestConfigs.OpsToken, "{}")
        ).Content.ReadFromJsonAsync<CutoverEngine.Sending.SendingControl.SendingStatus>();
        Assert.Equal("resumed", resumed!.Outcome);
        Assert.Equal("api", Assert.Single(resumed.Pauses).ResumedBy);
    }

    [Fact]
    public async Task A_pause_whose_caller_hangs_up_mid_way_still_pauses_the_mta()
    {
        // The engine killed while its pause request is inside the MTA's commands: the agent must finish the pause
        // its state file already records, not stop half-way with sending still flowing.
        var driver = _drivers["acme-prod"];
        driver.HoldPause = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = new CancellationTokenSource();
        var request = new HttpRequestMessage(
            HttpMethod.Post,
            new Uri(_host.Endpoint, "v1/environments/acme-prod/pause")
        )
        {
            Content = new StringContent(Pause, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestConfigs.OpsToken);
        var sending = _http.SendAsync(request, caller.Token);
        await Eventually.HoldsAsync(
            () => driver.Count("pause"),
            n => n == 1,
            TimeSpan.FromSeconds(10),
            "the pause reaching the MTA"
        );
        // Whether Kestrel has seen the hang-up by the time the hold is released is a race; what must hold either
        // way is that the MTA's pause is not tied to the caller's connection.
        Assert.False(driver.PauseToken.CanBeCanceled, "the MTA's pause runs under the caller's connection");
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        driver.HoldPause.SetResult();

        await Eventually.HoldsAsync(() => driver.MtaPaused, p => p, TimeSpan.FromSeconds(10), "the MTA paused");
        var status = await (
            await SendAsync(HttpMethod.Get, "v1/environments/acme-prod/status", TestConfigs.OpsToken)
        ).Content.ReadFromJsonAsync<CutoverEngine.Sending.SendingControl.SendingStatus>();
        Assert.True(status!.Paused);
        Assert.Equal(1, driver.Count("pause"));
    }

    [Fact]
    public async Task No_token_appears_in_any_log_line()
    {
        await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/pause", TestConfigs.OpsToken, Pause);
        await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/pause", TestConfigs.StagingToken, Pause);
        await SendAsync(HttpMethod.Get, "v1/environments/acme-prod/status", "wrong-" + TestConfigs.OpsToken);
        await SendAsync(HttpMethod.Post, "v1/environments/acme-prod/resume", TestConfigs.OpsToken, "{}");
        await _host.DisposeAsync();

        var logged = await File.ReadAllLinesAsync(LogFile);
        Assert.Contains(
            logged,
            l =>
                l.Contains("\"status\":403", StringComparison.Ordinal)
                && l.Contains("\"token\":\"staging\"", StringComparison.Ordinal)
        );
        Assert.Contains(logged, l => l.Contains("\"status\":401", StringComparison.Ordinal));
        foreach (var text in logged.Concat(_console.ToString().Split('\n')))
        {
            Assert.DoesNotContain(TestConfigs.OpsToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestConfigs.StagingToken, text, StringComparison.Ordinal);
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
