using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CutoverEngine.Agent.Tests.Postfix;

/// <summary>
/// The receiving side for the real-Postfix tests: a loopback SMTP server that accepts every message and counts
/// each Message-ID it receives, so duplicates and losses both show.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

    /// <summary>When each Message-ID was first accepted (the end of its DATA), to time a lapse against the agent's
    /// recorded instants.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> FirstReceivedAt { get; } = new(StringComparer.Ordinal);

    public int CountOf(IEnumerable<string> messageIds) => messageIds.Count(Received.ContainsKey);

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII)
                {
                    NewLine = "\r\n",
                    AutoFlush = true,
                };
                await writer.WriteLineAsync("220 sink.test.example ESMTP");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Split(' ')[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-sink.test.example\r\n250 8BITMIME");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go on");
                            string? id = null;
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                                if (id is null && data.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                                    id = data["Message-ID:".Length..].Trim();
                            if (id is not null)
                            {
                                FirstReceivedAt.TryAdd(id, DateTimeOffset.UtcNow);
                                Received.AddOrUpdate(id, 1, (_, n) => n + 1);
                            }
                            await writer.WriteLineAsync("250 2.0.0 Ok: queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 Ok");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
    }
}
