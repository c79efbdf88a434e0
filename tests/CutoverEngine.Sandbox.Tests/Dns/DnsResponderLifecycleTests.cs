using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sandbox.Dns;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>Starting, stopping and surviving: the responder on its own, over a world built from the test
/// topology.</summary>
public sealed class DnsResponderLifecycleTests
{
    static SandboxWorld World(Action<SandboxTopology>? change = null)
    {
        var topology = DnsTestWorld.Topology();
        change?.Invoke(topology);
        return new SandboxWorld(topology, TimeProvider.System);
    }

    static async Task<DnsMessage> AskAsync(IPEndPoint server, string name, ushort type, ushort id)
    {
        var wire = await DnsTestWorld.ExchangeUdpAsync(server, DnsTestWorld.Query(name, type, id), id);
        return DnsMessage.Parse(wire);
    }

    [Fact]
    public async Task Port_zero_picks_one_port_that_answers_on_both_udp_and_tcp()
    {
        await using var responder = new DnsResponder(World());

        var endpoint = await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);

        Assert.NotEqual(0, endpoint.Port);
        Assert.Equal(endpoint, responder.Endpoint);
        var udp = await AskAsync(endpoint, "mta1.acme-mail.example.", DnsRecordType.A, 1);
        var tcp = DnsMessage.Parse(
            (
                await DnsTestWorld.ExchangeTcpAsync(
                    endpoint,
                    DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 2)
                )
            )[0]
        );
        Assert.Equal("127.20.1.11", Assert.Single(udp.Answers).Data.ToString());
        Assert.Equal("127.20.1.11", Assert.Single(tcp.Answers).Data.ToString());
    }

    [Fact]
    public async Task A_port_already_taken_fails_naming_address_and_port()
    {
        await using var first = new DnsResponder(World());
        var taken = await first.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        await using var second = new DnsResponder(World());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            second.StartAsync(IPAddress.Loopback, taken.Port, CancellationToken.None)
        );

        Assert.Contains($"127.0.0.1:{taken.Port}", ex.Message);
    }

    [Fact]
    public async Task Starting_twice_is_refused()
    {
        await using var responder = new DnsResponder(World());
        await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None)
        );
    }

    [Fact]
    public async Task Disposing_closes_the_port_and_ends_open_connections_and_is_idempotent()
    {
        var responder = new DnsResponder(World());
        var endpoint = await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        using var open = new TcpClient();
        await open.ConnectAsync(endpoint);
        // The connection is being served once a query on it is answered.
        var stream = open.GetStream();
        var query = DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 3);
        await stream.WriteAsync((byte[])[0, (byte)query.Length, .. query]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, deadline.Token);
        await stream.ReadExactlyAsync(new byte[(prefix[0] << 8) | prefix[1]], deadline.Token);

        await responder.DisposeAsync();
        await responder.DisposeAsync();

        Assert.Equal(0, await stream.ReadAsync(new byte[1], deadline.Token)); // the server closed its side
        using var late = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => late.ConnectAsync(endpoint));
        // The port is free again for both protocols.
        await using var successor = new DnsResponder(World());
        Assert.Equal(
            endpoint.Port,
            (await successor.StartAsync(IPAddress.Loopback, endpoint.Port, CancellationToken.None)).Port
        );
    }

    [Fact]
    public async Task A_record_value_that_cannot_be_served_gives_servfail_and_the_server_keeps_answering()
    {
        var world = World(t =>
            t.Accounts[0]
                .HostedZones[0]
                .Records.Add(
                    new TopologyRecord
                    {
                        Name = "broken.acme-mail.example",
                        Type = "A",
                        Values = ["not-an-address"],
                    }
                )
        );
        await using var responder = new DnsResponder(world);
        var endpoint = await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);

        var broken = await AskAsync(endpoint, "broken.acme-mail.example.", DnsRecordType.A, 4);
        var fine = await AskAsync(endpoint, "mta2.acme-mail.example.", DnsRecordType.A, 5);

        Assert.Equal(DnsResponseCode.ServerFailure, broken.ResponseCode);
        Assert.Empty(broken.Answers);
        Assert.Equal("127.20.1.12", Assert.Single(fine.Answers).Data.ToString());
        Assert.Equal(1, responder.Statistics.ServerFailures);
    }

    [Fact]
    public async Task An_idle_tcp_connection_is_closed_after_the_idle_timeout()
    {
        await using var responder = new DnsResponder(
            World(),
            new DnsResponderOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(200) }
        );
        var endpoint = await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        using var idle = new TcpClient();
        await idle.ConnectAsync(endpoint);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await idle.GetStream().ReadAsync(new byte[1], deadline.Token);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task At_the_connection_limit_a_new_tcp_client_pushes_out_the_longest_idle_one()
    {
        await using var responder = new DnsResponder(
            World(),
            new DnsResponderOptions { MaxTcpConnections = 2, TcpIdleBeforeEviction = TimeSpan.FromMilliseconds(50) }
        );
        var endpoint = await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        using var oldest = new TcpClient();
        await oldest.ConnectAsync(endpoint);
        // Answered queries prove each connection is being served (so admitted) before the next one arrives.
        await DnsTestWorld.ExchangeOnAsync(oldest, DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 1));
        using var second = new TcpClient();
        await second.ConnectAsync(endpoint);
        await DnsTestWorld.ExchangeOnAsync(second, DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 2));

        var third = await DnsTestWorld.ExchangeTcpAsync(
            endpoint,
            DnsTestWorld.Query("mta2.acme-mail.example.", DnsRecordType.A, 3)
        );

        Assert.Equal("127.20.1.12", Assert.Single(DnsMessage.Parse(third[0]).Answers).Data.ToString());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await oldest.GetStream().ReadAsync(new byte[1], deadline.Token)); // pushed out
        var stillOpen = await DnsTestWorld.ExchangeOnAsync(
            second,
            DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 4)
        );
        Assert.Equal(4, DnsMessage.Parse(stillOpen).Id);
    }

    [Fact]
    public async Task With_one_udp_slot_a_burst_of_queries_is_still_answered_in_full()
    {
        await using var responder = new DnsResponder(World(), new DnsResponderOptions { MaxConcurrentUdpQueries = 1 });
        var endpoint = await responder.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(endpoint);
        const int count = 50;

        for (ushort id = 1; id <= count; id++)
            await udp.SendAsync(DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, id));
        var ids = new HashSet<ushort>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (ids.Count < count)
            ids.Add(DnsMessage.Parse((await udp.ReceiveAsync(deadline.Token)).Buffer).Id);

        Assert.Equal(count, ids.Count);
        Assert.Equal(count, responder.Statistics.Queries);
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_their_name()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DnsResponder(World(), new DnsResponderOptions { MaxUdpPayloadSize = 100 })
        );

        Assert.Equal("MaxUdpPayloadSize", ex.ParamName);
    }
}
