using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Agent.Tests.Drivers;

/// <summary>
/// A loopback stand-in for KumoMTA's admin API, implementing the documented shapes only: POST /api/admin/suspend/v1
/// (SuspendV1Request in, {id} out), GET (a list of SuspendV1ListEntry), DELETE ({id}). Any other path, the bounce API
/// included, is recorded and answered 404.
/// </summary>
public sealed class FakeKumoMta : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly Lock _gate = new();
    public List<Dictionary<string, JsonElement>> Active { get; } = [];
    public List<string> Requests { get; } = [];

    FakeKumoMta(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeKumoMta> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeKumoMta(builder.Build());
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        fake.Url = new Uri(fake._app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Adds a suspension someone else made (kcli suspend by an operator).</summary>
    public void AddForeign(string reason)
    {
        lock (_gate)
            Active.Add(
                JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
                    JsonSerializer.Serialize(
                        new
                        {
                            id = Guid.NewGuid().ToString(),
                            reason,
                            duration = "10m",
                        }
                    )
                )!
            );
    }

    async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        lock (_gate)
            Requests.Add($"{http.Request.Method} {http.Request.Path} {body}");
        if (http.Request.Path != "/api/admin/suspend/v1")
        {
            http.Response.StatusCode = 404;
            return;
        }
        switch (http.Request.Method)
        {
            case "POST":
                var request = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(body)!;
                if (!request.ContainsKey("reason"))
                {
                    http.Response.StatusCode = 400;
                    return;
                }
                var id = Guid.NewGuid().ToString();
                request["id"] = JsonSerializer.SerializeToElement(id);
                lock (_gate)
                    Active.Add(request);
                await http.Response.WriteAsJsonAsync(new { id });
                break;
            case "GET":
                List<Dictionary<string, JsonElement>> list;
                lock (_gate)
                    list = [.. Active];
                await http.Response.WriteAsJsonAsync(list);
                break;
            case "DELETE":
                var cancel = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(body)!["id"].GetString();
                lock (_gate)
                    Active.RemoveAll(a => a["id"].GetString() == cancel);
                break;
            default:
                http.Response.StatusCode = 405;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
