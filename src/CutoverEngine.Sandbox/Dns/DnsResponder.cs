using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sandbox.World;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// Authoritative DNS for the sandbox's zones (and the reverse names of its addresses) on UDP and TCP, one port
/// for both. Answers come from <see cref="SandboxWorld.ResolveAuthoritative"/> at the moment of each query, so a
/// Route 53 change shows only once INSYNC by the world's clock. Bounded: at most
/// <see cref="DnsResponderOptions.MaxConcurrentUdpQueries"/> datagrams are in hand at once (the rest wait in the
/// kernel's buffer) and at most <see cref="DnsResponderOptions.MaxTcpConnections"/> connections are open (at the limit
/// the longest idle one makes room, so one client's pool of idle connections cannot lock others out).
/// </summary>
public sealed class DnsResponder : IAsyncDisposable
{
    /// <summary>Largest UDP query read; anything longer is not a query a client would send and is answered
    /// FORMERR.</summary>
    const int MaxUdpQuerySize = 4096;

    readonly DnsResponderOptions _options;
    readonly ILogger _log;
    readonly DnsQueryAnswerer _answerer;
    readonly CancellationTokenSource _stopping = new();
    readonly SemaphoreSlim _udpSlots;
    readonly object _tcpGate = new();
    readonly HashSet<TcpConnection> _tcpConnections = [];
    readonly SemaphoreSlim _tcpConnectionEnded = new(0, int.MaxValue);
    readonly ConcurrentDictionary<long, Task> _inFlight = new();
    long _nextWorkId;
    Socket? _udp;
    Socket? _tcp;
    Task _udpLoop = Task.CompletedTask;
    Task _tcpLoop = Task.CompletedTask;
    int _state; // 0 new, 1 started, 2 disposed

    public DnsResponder(SandboxWorld world, DnsResponderOptions? options = null, ILoggerFactory? loggers = null)
    {
        _options = options ?? new DnsResponderOptions();
        _options.Validate();
        loggers ??= NullLoggerFactory.Instance;
        _log = loggers.CreateLogger<DnsResponder>();
        _answerer = new DnsQueryAnswerer(world, _options, Statistics, loggers.CreateLogger<DnsQueryAnswerer>());
        _udpSlots = new SemaphoreSlim(_options.MaxConcurrentUdpQueries);
    }

    public DnsResponderStatistics Statistics { get; } = new();

    /// <summary>Where the responder listens (UDP and TCP); null before <see cref="StartAsync"/>.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>Binds UDP and TCP on the same port (0 picks one free for both) and returns the bound
    /// endpoint.</summary>
    public Task<IPEndPoint> StartAsync(IPAddress address, int port, CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException(
                "DNS responder: StartAsync was already called (or the responder is disposed)"
            );
        ct.ThrowIfCancellationRequested();
        var attempts = port == 0 ? _options.PortPickAttempts : 1;
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            Socket? udp = null,
                tcp = null;
            try
            {
                udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(address, port));
                var bound = (IPEndPoint)udp.LocalEndPoint!;
                tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(bound);
                tcp.Listen(512);
                _udp = udp;
                _tcp = tcp;
                Endpoint = bound;
                break;
            }
            catch (SocketException ex)
            {
                udp?.Dispose();
                tcp?.Dispose();
                // With port 0 the kernel chose a UDP port whose TCP twin may be taken: try another.
                if (port == 0 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < attempts)
                    continue;
                throw new InvalidOperationException(
                    port == 0
                        ? $"DNS responder: no port on {address} was free for both UDP and TCP after {attempt} attempts: {ex.Message}"
                        : $"DNS responder: cannot bind UDP and TCP {address}:{port}: {ex.Message}",
                    ex
                );
            }
        }
        var stopping = _stopping.Token;
        _udpLoop = Task.Run(() => ReceiveUdpAsync(_udp!, stopping), CancellationToken.None);
        _tcpLoop = Task.Run(() => AcceptTcpAsync(_tcp!, stopping), CancellationToken.None);
        _log.LogDebug("DNS responder listening on {Endpoint} (UDP and TCP)", Endpoint);
        return Task.FromResult(Endpoint!);
    }

    async Task ReceiveUdpAsync(Socket udp, CancellationToken stopping)
    {
        var anyRemote = new IPEndPoint(
            udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any,
            0
        );
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _udpSlots.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var buffer = ArrayPool<byte>.Shared.Rent(MaxUdpQuerySize);
            var handedOver = false;
            try
            {
                var received = await udp.ReceiveFromAsync(
                    buffer.AsMemory(0, MaxUdpQuerySize),
                    SocketFlags.None,
                    anyRemote,
                    stopping
                );
                Track(AnswerDatagramAsync(udp, buffer, received.ReceivedBytes, received.RemoteEndPoint, stopping));
                handedOver = true;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. an ICMP port-unreachable reported for an earlier reply, or an oversized datagram: one
                // client's trouble, not the responder's.
                if (stopping.IsCancellationRequested)
                    return;
                _log.LogDebug("DNS responder: UDP receive failed: {Error}", ex.SocketErrorCode);
            }
            finally
            {
                if (!handedOver)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    _udpSlots.Release();
                }
            }
        }
    }

    async Task AnswerDatagramAsync(Socket udp, byte[] buffer, int length, EndPoint remote, CancellationToken stopping)
    {
        try
        {
            await Task.Yield(); // let the receive loop take the next datagram at once
            var response = _answerer.Answer(buffer.AsSpan(0, length), overTcp: false);
            if (response is not null)
                await udp.SendToAsync(response, SocketFlags.None, remote, stopping);
        }
        catch (Exception ex)
            when (ex is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested) { }
        catch (Exception ex)
        {
            Statistics.CountServerFailure();
            _log.LogWarning(ex, "DNS responder: answering a UDP query from {Remote} failed", remote);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _udpSlots.Release();
        }
    }

    async Task AcceptTcpAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (stopping.IsCancellationRequested)
                    return;
                _log.LogDebug("DNS responder: TCP accept failed: {Error}", ex.SocketErrorCode);
                continue;
            }
            var connection = new TcpConnection(client);
            try
            {
                // While this waits, no further connection is accepted: the rest wait in the listen backlog.
                await AdmitAsync(connection, stopping);
            }
            catch (OperationCanceledException)
            {
                connection.Close();
                return;
            }
            Track(ServeConnectionAsync(connection, stopping));
        }
    }

    /// <summary>
    /// Adds <paramref name="connection"/> to the open ones. At the limit it waits for one to end, or closes the one
    /// idle longest once that has been idle for <see cref="DnsResponderOptions.TcpIdleBeforeEviction"/>
    /// (RFC 7766 6.2.3: under pressure, idle connections go first).
    /// </summary>
    async Task AdmitAsync(TcpConnection connection, CancellationToken stopping)
    {
        while (true)
        {
            TcpConnection? evicted = null;
            lock (_tcpGate)
            {
                if (_tcpConnections.Count >= _options.MaxTcpConnections)
                {
                    var idleSince = Environment.TickCount64 - (long)_options.TcpIdleBeforeEviction.TotalMilliseconds;
                    evicted = _tcpConnections
                        .Where(c => c.IdleSince != 0 && c.IdleSince <= idleSince)
                        .MinBy(c => c.IdleSince);
                    if (evicted is not null)
                        _tcpConnections.Remove(evicted);
                }
                if (_tcpConnections.Count < _options.MaxTcpConnections)
                {
                    _tcpConnections.Add(connection);
                    evicted?.Close();
                    return;
                }
            }
            // Woken when a connection ends; the timeout re-checks for connections that have become idle long enough.
            await _tcpConnectionEnded.WaitAsync(TimeSpan.FromMilliseconds(50), stopping);
        }
    }

    /// <summary>RFC 7766: each message has a 2-octet length prefix; queries on a connection are answered in
    /// order.</summary>
    async Task ServeConnectionAsync(TcpConnection connection, CancellationToken stopping)
    {
        var client = connection.Socket;
        EndPoint? remote = null;
        var prefix = new byte[2];
        try
        {
            await Task.Yield();
            remote = client.RemoteEndPoint;
            client.NoDelay = true;
            await using var stream = new NetworkStream(client, ownsSocket: true);
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                idle.CancelAfter(_options.TcpIdleTimeout);
                connection.MarkIdle();
                if (await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, idle.Token) < 2)
                    return; // the client closed the connection (or it was evicted)
                connection.MarkBusy();
                var length = (prefix[0] << 8) | prefix[1];
                // A buffer only while a query is in hand: idle connections hold none.
                var query = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                byte[]? response;
                try
                {
                    if (
                        await stream.ReadAtLeastAsync(
                            query.AsMemory(0, length),
                            length,
                            throwOnEndOfStream: false,
                            idle.Token
                        ) < length
                    )
                        return;
                    response = _answerer.Answer(query.AsSpan(0, length), overTcp: true);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(query);
                }
                if (response is null)
                    return; // not a query: the stream cannot be trusted to be in step any more
                var framed = new byte[2 + response.Length];
                framed[0] = (byte)(response.Length >> 8);
                framed[1] = (byte)response.Length;
                response.CopyTo(framed, 2);
                await stream.WriteAsync(framed, stopping);
            }
        }
        catch (Exception ex)
            when (ex is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // Idle timeout, eviction, shutdown or a client that went away: just close.
        }
        catch (Exception ex)
        {
            Statistics.CountServerFailure();
            _log.LogWarning(ex, "DNS responder: TCP connection from {Remote} failed", remote);
        }
        finally
        {
            connection.Close();
            lock (_tcpGate)
                _tcpConnections.Remove(connection);
            _tcpConnectionEnded.Release();
        }
    }

    /// <summary>
    /// An open TCP connection; <see cref="IdleSince"/> is 0 while a query is being read or answered, and until its
    /// serving task first waits for one (so a connection whose query is not yet read is never taken for idle).
    /// </summary>
    sealed class TcpConnection(Socket socket)
    {
        long _idleSince;

        public Socket Socket { get; } = socket;
        public long IdleSince => Interlocked.Read(ref _idleSince);

        public void MarkIdle() => Interlocked.Exchange(ref _idleSince, Math.Max(1, Environment.TickCount64));

        public void MarkBusy() => Interlocked.Exchange(ref _idleSince, 0);

        /// <summary>Closes with a FIN, not a reset: a pending read on our side ends as end-of-stream.</summary>
        public void Close()
        {
            try
            {
                Socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            Socket.Dispose();
        }
    }

    void Track(Task work)
    {
        var id = Interlocked.Increment(ref _nextWorkId);
        _inFlight[id] = work;
        work.ContinueWith(
            _ => _inFlight.TryRemove(id, out Task? _),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default
        );
    }

    /// <summary>Stops listening, ends open connections and waits for queries in hand to finish. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
            return;
        _stopping.Cancel();
        _udp?.Dispose();
        _tcp?.Dispose();
        lock (_tcpGate)
            foreach (var c in _tcpConnections)
                c.Close();
        try
        {
            // Loops first: once they have ended nothing new is put in flight.
            await Task.WhenAll(_udpLoop, _tcpLoop);
            await Task.WhenAll(_inFlight.Values);
        }
        catch (Exception ex)
        {
            _log.LogWarning(ex, "DNS responder: error while stopping");
        }
        _stopping.Dispose();
    }
}
