using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Smtp;

/// <summary>
/// The simulated MTAs: one SMTP listener on every MTA address of the world (data-centre addresses and every Elastic
/// IP), all on one port. Which host answers a connection is decided when it is accepted, from the world's EC2 and
/// BYOIP state (<see cref="SandboxWorld.OwnerOf"/>): an Elastic IP associated to an instance answers as that
/// instance's host, a data-centre address as its host until AWS takes it over. An address nobody owns resets the
/// connection without a greeting, like a route that leads nowhere.
/// </summary>
public sealed class MtaListeners : IAsyncDisposable
{
    readonly SandboxWorld _world;
    readonly MtaOptions _options;
    readonly List<TcpListener> _listeners = [];
    readonly List<Task> _acceptLoops = [];
    readonly ConcurrentDictionary<long, Task> _sessions = new();
    readonly CancellationTokenSource _stopping = new();
    long _sessionSeq;
    long _queueSeq;

    public MtaListeners(SandboxWorld world, MtaOptions? options = null)
    {
        _world = world;
        _options = options ?? new MtaOptions();
    }

    /// <summary>Every message the MTAs accepted, per host and per address, with duplicate detection.</summary>
    public MailLedger Ledger { get; } = new();

    /// <summary>The port all MTA addresses listen on (0 until started).</summary>
    public int Port { get; private set; }

    /// <summary>The addresses listened on.</summary>
    public IReadOnlyList<IPAddress> Addresses => [.. _listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Address)];

    /// <summary>
    /// Listens on every MTA address at <paramref name="port"/> and returns the port. Port 0 binds the first address on
    /// a free port and then every other address on that same port, starting over with a new port when one is taken
    /// there.
    /// </summary>
    public Task<int> StartAsync(int port, CancellationToken ct)
    {
        if (_listeners.Count > 0)
            throw new InvalidOperationException("The MTA listeners are already started.");
        var addresses = _world.AllMtaAddresses();
        if (addresses.Count == 0)
            return Task.FromResult(Port = port);

        const int attempts = 20;
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var chosen = port;
            try
            {
                foreach (var address in addresses)
                {
                    var listener = new TcpListener(address, chosen);
                    try
                    {
                        listener.Start(backlog: 512);
                    }
                    catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
                    {
                        throw new InvalidOperationException(
                            $"MTA listener cannot bind {address}: the address is not on this machine (sandbox MTA addresses must be loopback, 127.0.0.0/8).",
                            ex
                        );
                    }
                    _listeners.Add(listener);
                    if (chosen == 0)
                        chosen = ((IPEndPoint)listener.LocalEndpoint).Port;
                }
                Port = chosen;
                break;
            }
            catch (SocketException ex)
                when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && port == 0 && attempt < attempts)
            {
                StopListeners(); // another process holds that port on one of the addresses: try another port everywhere
            }
            catch (SocketException ex)
            {
                var failed = addresses.Count > _listeners.Count ? addresses[_listeners.Count] : addresses[0];
                StopListeners();
                throw new InvalidOperationException(
                    $"MTA listener cannot bind {failed}:{(chosen == 0 ? "(free port)" : chosen)}: {ex.SocketErrorCode} ({ex.Message})"
                        + (port == 0 ? $" after {attempt} attempts." : "."),
                    ex
                );
            }
            catch
            {
                StopListeners();
                throw;
            }
        }
        foreach (var listener in _listeners)
            _acceptLoops.Add(AcceptLoopAsync(listener, _stopping.Token));
        return Task.FromResult(Port);
    }

    async Task AcceptLoopAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            } // one failed accept (e.g. the client reset first) must not stop the MTA

            var id = Interlocked.Increment(ref _sessionSeq);
            _sessions[id] = ServeAsync(id, client, stopping);
        }
    }

    async Task ServeAsync(long id, TcpClient client, CancellationToken stopping)
    {
        await Task.Yield(); // let the accept loop go back to accepting at once
        try
        {
            using (client)
            {
                var local = ((IPEndPoint)client.Client.LocalEndPoint!).Address;
                var host = _world.OwnerOf(local);
                if (host is null)
                {
                    // Nothing answers on this address now: reset rather than greet.
                    client.LingerState = new LingerOption(true, 0);
                    return;
                }
                client.NoDelay = true;
                var stream = client.GetStream();
                var session = new SmtpSession(host, local, stream, Ledger, _world, _options, NewQueueId);
                await session.RunAsync(stopping);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { } // the client went away
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>A Postfix-looking queue id, unique within the run.</summary>
    string NewQueueId() => Interlocked.Increment(ref _queueSeq).ToString("X10");

    void StopListeners()
    {
        foreach (var l in _listeners)
            l.Stop();
        _listeners.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        StopListeners();
        try
        {
            await Task.WhenAll([.. _acceptLoops, .. _sessions.Values]).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException) { }
    }
}
