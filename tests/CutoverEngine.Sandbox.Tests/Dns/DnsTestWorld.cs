using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sandbox.Dns;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>The small world the DNS tests query: one account, one zone, one data-centre host, one Elastic IP.</summary>
internal static class DnsTestWorld
{
    public const string Zone = "acme-mail.example.";
    public const string ZoneId = "Z0DNSTEST000000001";
    public const string DcHostName = "mta1.dc.acme.example.";
    public const string ElasticIp = "127.30.0.5";

    /// <summary>12 TXT values of about 80 octets: over 512 octets, under 1232.</summary>
    public const int BulkTxtCount = 12;

    /// <summary>30 TXT values of about 80 octets: over 1232 octets, so only TCP carries them.</summary>
    public const int HugeTxtCount = 30;

    public static SandboxTopology Topology() =>
        new()
        {
            Accounts =
            [
                new TopologyAccount
                {
                    Id = "111122223333",
                    AccessKeyId = "AKIADNSTESTACCOUNT01",
                    SecretAccessKey = "dns-test-secret-key-0000000000000000000",
                    HostedZones =
                    [
                        new TopologyHostedZone
                        {
                            Id = ZoneId,
                            Name = "acme-mail.example",
                            Records =
                            [
                                Record("mta1.acme-mail.example", "A", 60, "127.20.1.11"),
                                Record("mta2.acme-mail.example", "A", 60, "127.20.1.12"),
                                Record("mta.acme-mail.example", "A", 60, "127.20.1.11", "127.20.1.12"),
                                Record("acme-mail.example", "TXT", 300, "\"v=spf1 ip4:127.20.1.0/24 -all\""),
                                Record(
                                    "acme-mail.example",
                                    "MX",
                                    3600,
                                    "10 mta1.acme-mail.example.",
                                    "20 mta2.acme-mail.example."
                                ),
                                Record("smtp.acme-mail.example", "CNAME", 120, "mta1.acme-mail.example."),
                                Record("dangling.acme-mail.example", "CNAME", 120, "gone.acme-mail.example."),
                                Record("offsite.acme-mail.example", "CNAME", 120, "mail.elsewhere.example."),
                                Record("v6.acme-mail.example", "AAAA", 60, "::1"),
                                Record("deep.sub.acme-mail.example", "A", 60, "127.20.1.13"),
                                Record("split.acme-mail.example", "TXT", 300, "\"first part \" \"second part\""),
                                Record(
                                    "bulk.acme-mail.example",
                                    "TXT",
                                    300,
                                    [.. Enumerable.Range(0, BulkTxtCount).Select(TxtFiller)]
                                ),
                                Record(
                                    "huge.acme-mail.example",
                                    "TXT",
                                    300,
                                    [.. Enumerable.Range(0, HugeTxtCount).Select(TxtFiller)]
                                ),
                            ],
                        },
                    ],
                    ElasticIps =
                    [
                        new TopologyElasticIp { AllocationId = "eipalloc-0dnstest000000001", PublicIp = ElasticIp },
                    ],
                },
            ],
            Hosts =
            [
                new TopologyHost
                {
                    Id = "dc-acme-mta1",
                    Name = "mta1.dc.acme.example",
                    Site = "datacentre",
                    Addresses = ["127.20.1.11", "127.20.1.12"],
                },
            ],
        };

    public static Task<SandboxHost> StartAsync(TimeProvider? clock = null) =>
        SandboxHost.StartAsync(
            Topology(),
            new SandboxRunOptions
            {
                SmtpPort = 0,
                GenerateMail = false,
                Clock = clock ?? TimeProvider.System,
            }
        );

    static TopologyRecord Record(string name, string type, long ttl, params string[] values) =>
        new()
        {
            Name = name,
            Type = type,
            Ttl = ttl,
            Values = [.. values],
        };

    static string TxtFiller(int i) => $"\"filler-{i:D2}-{new string('x', 70)}\"";

    /// <summary>A query as a stub resolver without recursion would send it; EDNS when a payload size is
    /// given.</summary>
    public static byte[] Query(
        string name,
        ushort type,
        ushort id = 0x1234,
        ushort? ednsPayload = null,
        byte ednsVersion = 0
    )
    {
        var m = new DnsMessage { Id = id, Opcode = DnsOpcode.Query };
        m.Questions.Add(new DnsQuestion(name, type));
        if (ednsPayload is { } size)
            m.Edns = new DnsEdns(size, ednsVersion);
        return m.Encode();
    }

    /// <summary>Sends one datagram and returns the first response carrying <paramref name="id"/>, failing after 5
    /// s.</summary>
    public static async Task<byte[]> ExchangeUdpAsync(IPEndPoint server, byte[] query, ushort id)
    {
        using var udp = new UdpClient(server.AddressFamily);
        udp.Connect(server);
        await udp.SendAsync(query);
        return await ReceiveUdpAsync(udp, id);
    }

    public static async Task<byte[]> ReceiveUdpAsync(UdpClient udp, ushort id)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var received = await udp.ReceiveAsync(deadline.Token);
            if (received.Buffer.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(received.Buffer) == id)
                return received.Buffer;
        }
    }

    /// <summary>Writes each query with its 2-octet length prefix on one connection, then reads as many
    /// responses.</summary>
    public static async Task<List<byte[]>> ExchangeTcpAsync(IPEndPoint server, params byte[][] queries)
    {
        using var tcp = new TcpClient(server.AddressFamily);
        await tcp.ConnectAsync(server);
        return await ExchangeOnAsync(tcp, queries);
    }

    /// <summary>One query and its response on an open connection.</summary>
    public static async Task<byte[]> ExchangeOnAsync(TcpClient tcp, byte[] query) =>
        (await ExchangeOnAsync(tcp, [query]))[0];

    public static async Task<List<byte[]>> ExchangeOnAsync(TcpClient tcp, byte[][] queries)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var stream = tcp.GetStream();
        foreach (var q in queries)
        {
            var framed = new byte[2 + q.Length];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)q.Length);
            q.CopyTo(framed, 2);
            await stream.WriteAsync(framed, deadline.Token);
        }
        var responses = new List<byte[]>();
        var prefix = new byte[2];
        for (int i = 0; i < queries.Length; i++)
        {
            await stream.ReadExactlyAsync(prefix, deadline.Token);
            var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await stream.ReadExactlyAsync(body, deadline.Token);
            responses.Add(body);
        }
        return responses;
    }
}
