using System.Net;
using System.Net.Sockets;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.OtherFunctions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>One probe of an other function, and the series summary the report shows.</summary>
public sealed class OtherFunctionProbeTests
{
    static OtherFunctionProbe Probe() => new(TimeProvider.System, Options.Create(new CutoverOptions()));

    [Fact]
    public async Task A_tcp_function_passes_when_its_port_accepts_and_fails_when_nothing_listens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var probe = Probe();

        var open = await probe.ProbeAsync(
            new SubjectOtherFunction
            {
                Name = "imap",
                TcpHost = "127.0.0.1",
                TcpPort = port,
            },
            default
        );
        listener.Stop();
        var closed = await probe.ProbeAsync(
            new SubjectOtherFunction
            {
                Name = "imap",
                TcpHost = "127.0.0.1",
                TcpPort = port,
            },
            default
        );

        Assert.True(open.Available, open.Error);
        Assert.False(closed.Available);
        Assert.NotNull(closed.Error);
    }

    [Fact]
    public async Task An_http_function_fails_when_it_answers_another_status_than_expected()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "/login";
            context.Response.Close();
        });
        using var probe = Probe();

        var observed = await probe.ProbeAsync(
            new SubjectOtherFunction
            {
                Name = "api",
                Url = $"http://127.0.0.1:{port}/health",
                ExpectedStatus = 200,
            },
            default
        );
        await serving;

        Assert.False(observed.Available);
        Assert.Equal("answered 302, expected 200", observed.Error);
    }

    [Fact]
    public void The_series_counts_failures_and_takes_p50_and_max_over_the_answers_that_passed()
    {
        var at = DateTimeOffset.UnixEpoch;
        var function = new SubjectOtherFunction { Name = "api", Url = "http://api.example/" };
        // Passing latencies 4, 1, 3, 2 sorted: 1 2 3 4; nearest-rank p50 is the 2nd (ceil(4 * 0.5)) = 2, max 4.
        // The failure's 2000 ms (a timeout) is counted as a failure, not as a latency.
        var series = OtherFunctionSeries.Of(
            function,
            baselineAvailable: true,
            [
                new(at, true, 4, null),
                new(at, true, 1, null),
                new(at, false, 2000, "no answer in 2000 ms"),
                new(at, true, 3, null),
                new(at, true, 2, null),
            ]
        );

        Assert.Equal(
            new OtherFunctionSeries("api", "http://api.example/", true, 5, 1, 2, 4, true, "no answer in 2000 ms"),
            series
        );
    }

    [Fact]
    public void A_function_already_down_before_the_pause_is_not_affected_by_it()
    {
        var at = DateTimeOffset.UnixEpoch;
        var series = OtherFunctionSeries.Of(
            new SubjectOtherFunction
            {
                Name = "imap",
                TcpHost = "imap.example",
                TcpPort = 993,
            },
            baselineAvailable: false,
            [new(at, false, 1, "refused")]
        );

        Assert.False(series.Affected);
        Assert.Equal("imap.example:993", series.Target);
        Assert.Null(series.P50LatencyMs);
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
