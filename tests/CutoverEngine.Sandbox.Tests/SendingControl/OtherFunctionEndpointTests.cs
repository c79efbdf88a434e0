using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.Sandbox.SendingControl;
using CutoverEngine.Sandbox.Tests.Mail;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.SendingControl;

/// <summary>The instance's other functions the sandbox serves beside the sending control, and their fault switch:
/// a failing function answers 503 only while its environment is paused.</summary>
public sealed class OtherFunctionEndpointTests : IAsyncLifetime
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly SendingControlServer _server;
    readonly HttpClient _http = new();

    public OtherFunctionEndpointTests()
    {
        var topology = MailTopology.Build();
        topology.Environments[0].OtherFunctions =
        [
            new TopologyOtherFunction { Name = "api" },
            new TopologyOtherFunction { Name = "webmail", FailsWhilePaused = true },
        ];
        _server = new SendingControlServer(
            new SandboxWorld(topology, _clock),
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

    async Task<HttpStatusCode> StatusOf(string function)
    {
        using var response = await _http.GetAsync($"environments/{MailTopology.EnvironmentId}/functions/{function}");
        return response.StatusCode;
    }

    async Task PostAsync(string action)
    {
        using var response = await _http.PostAsync($"environments/{MailTopology.EnvironmentId}/{action}", null);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_failing_function_answers_503_only_while_its_environment_is_paused()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusOf("webmail"));

        await PostAsync("pause");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOf("webmail"));
        Assert.Equal(HttpStatusCode.OK, await StatusOf("api"));

        await PostAsync("resume");
        Assert.Equal(HttpStatusCode.OK, await StatusOf("webmail"));
    }

    [Fact]
    public async Task The_fault_switch_turns_a_function_failing_while_paused_and_back()
    {
        var env = _server.Environment(MailTopology.EnvironmentId);
        env.FailWhilePaused("api");
        await PostAsync("pause");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOf("api"));

        env.FailWhilePaused("api", failing: false);
        Assert.Equal(HttpStatusCode.OK, await StatusOf("api"));
        Assert.Throws<ArgumentException>(() => env.FailWhilePaused("imap"));
    }

    [Fact]
    public async Task An_unknown_function_is_404_naming_the_functions_there_are()
    {
        using var response = await _http.GetAsync($"environments/{MailTopology.EnvironmentId}/functions/imap");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no other function 'imap'; it has: api, webmail", body.GetProperty("message").GetString());
    }
}
