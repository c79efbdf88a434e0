using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>
/// Probes one of the instance's other functions: an HTTP(S) GET that must answer the expected status, or a TCP
/// connect that must be accepted, each within <see cref="OtherFunctionOptions.Timeout"/>. Never throws for the
/// function's failure: that is an observation.
/// </summary>
public sealed class OtherFunctionProbe(TimeProvider clock, IOptions<CutoverOptions> options) : IDisposable
{
    // Redirects are the function's answer, not something to follow: an expected 200 must not pass on a login page.
    readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<OtherFunctionObservation> ProbeAsync(SubjectOtherFunction function, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.OtherFunctions.Timeout);
        try
        {
            var error = function.Url is { } url
                ? await GetAsync(new Uri(url), function.ExpectedStatus, timeout.Token)
                : await ConnectAsync(function.TcpHost ?? "", function.TcpPort, timeout.Token);
            return new OtherFunctionObservation(at, error is null, watch.Elapsed.TotalMilliseconds, error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var limit = options.Value.OtherFunctions.Timeout.TotalMilliseconds;
            return new OtherFunctionObservation(
                at,
                false,
                watch.Elapsed.TotalMilliseconds,
                $"no answer in {limit:0} ms"
            );
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
        {
            return new OtherFunctionObservation(at, false, watch.Elapsed.TotalMilliseconds, e.Message);
        }
    }

    async Task<string?> GetAsync(Uri url, int expected, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        return status == expected ? null : $"answered {status}, expected {expected}";
    }

    static async Task<string?> ConnectAsync(string host, int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, ct);
        return null;
    }

    public void Dispose() => http.Dispose();
}
