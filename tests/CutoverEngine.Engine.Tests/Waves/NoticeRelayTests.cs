using System.Net;
using System.Net.Sockets;
using System.Text;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>A loopback SMTP relay: accepts (250) or refuses (554 after DATA) every message and keeps what it got.</summary>
internal sealed class LoopbackRelay : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    readonly List<(string From, string To, string Data)> _messages = [];

    public LoopbackRelay(bool refuse)
    {
        Refuse = refuse;
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public bool Refuse { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public DnsEndPoint EndPoint => new("127.0.0.1", Port);
    public IReadOnlyList<(string From, string To, string Data)> Messages { get { lock (_messages) return [.. _messages]; } }

    async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => SessionAsync(client));
            }
        }
        catch (OperationCanceledException) { }
    }

    async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 relay.test ESMTP");
        string from = "", to = "";
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            if (verb is "EHLO" or "HELO") await writer.WriteLineAsync("250 relay.test");
            else if (verb == "MAIL") { from = line[10..].Trim('<', '>'); await writer.WriteLineAsync("250 ok"); }
            else if (verb == "RCPT") { to = line[8..].Trim('<', '>'); await writer.WriteLineAsync("250 ok"); }
            else if (verb == "DATA")
            {
                await writer.WriteLineAsync("354 go ahead");
                var data = new StringBuilder();
                while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".") data.Append(body).Append('\n');
                if (Refuse) await writer.WriteLineAsync("554 5.7.1 relaying denied");
                else
                {
                    lock (_messages) _messages.Add((from, to, data.ToString()));
                    await writer.WriteLineAsync("250 2.0.0 queued");
                }
            }
            else if (verb == "QUIT") { await writer.WriteLineAsync("221 bye"); break; }
            else await writer.WriteLineAsync("502 unknown");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

public sealed class NoticeRelayTests
{
    static async Task<(WaveWorld World, Wave Wave, WaveNotices Notices)> WorldAsync()
    {
        var w = new WaveWorld();
        var wave = await w.Service.CreateAsync("w1", ["acme-dev", "acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice");
        return (w, wave, w.Provider.GetRequiredService<WaveNotices>());
    }

    [Fact]
    public async Task Each_notice_accepted_by_the_relay_is_received_with_its_window_and_recorded()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: false);
        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(2, relay.Messages.Count);
        var dev = Assert.Single(relay.Messages, m => m.Data.Contains("(acme-dev)", StringComparison.Ordinal));
        Assert.Equal("postmaster@example.test", dev.To);
        Assert.Equal("cutover-notices@localhost", dev.From);
        Assert.Contains("Subject: Planned maintenance of your development email sending (acme-dev)", dev.Data);
        Assert.Contains("Window: 2026-06-11 08:00 UTC to 2026-06-11 08:30 UTC.", dev.Data);
        Assert.True(File.Exists(outcomes[0].File));

        var recorded = await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg", "acme-prod"]);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["acme-dev"] = WaveWorld.T0, ["acme-stg"] = WaveWorld.T0 }, recorded);
        Assert.Equal(2, (await w.JournalEventsAsync("w1")).Count(e => e == "customer-notified"));
    }

    [Fact]
    public async Task A_refusing_relay_records_nothing_and_reports_the_refusal()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        await using var relay = new LoopbackRelay(refuse: true);
        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), relay.EndPoint, "alice");

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains("554", o.Error));
        Assert.Empty(relay.Messages);
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
        Assert.DoesNotContain("customer-notified", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task An_unreachable_relay_records_nothing_and_names_the_relay()
    {
        var (w, wave, notices) = await WorldAsync();
        await using var _ = w;
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        var outcomes = await notices.NotifyAsync(wave, Path.Combine(w.Directory, "notices"), new DnsEndPoint("127.0.0.1", port), "alice");
        Assert.All(outcomes, o => Assert.Contains($"127.0.0.1:{port}", o.Error));
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-dev", "acme-stg"]));
    }

    [Theory]
    [InlineData("relay.example.net")]
    [InlineData("relay.example.net:0")]
    [InlineData(":25")]
    [InlineData("relay:smtp")]
    public void A_relay_that_is_not_host_and_port_is_refused_naming_the_setting(string text)
    {
        var e = Assert.Throws<FormatException>(() => WaveNotices.ParseRelay(text, "--smtp"));
        Assert.Contains("--smtp", e.Message);
        Assert.Contains(text, e.Message);
    }
}
