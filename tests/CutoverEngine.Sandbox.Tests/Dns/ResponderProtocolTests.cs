using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sandbox.Dns;

namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>The responder's handling of odd, malformed and oversized traffic, with hand-made packets.</summary>
public sealed class ResponderProtocolTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    IPEndPoint Dns => fixture.Sandbox.DnsEndpoint;

    static byte[] Header(ushort id, ushort flags, ushort qd, ushort an = 0, ushort ns = 0, ushort ar = 0) =>
        [
            (byte)(id >> 8),
            (byte)id,
            (byte)(flags >> 8),
            (byte)flags,
            0,
            (byte)qd,
            0,
            (byte)an,
            0,
            (byte)ns,
            0,
            (byte)ar,
        ];

    async Task AssertAnswersNormallyAsync()
    {
        var response = DnsMessage.Parse(
            await DnsTestWorld.ExchangeUdpAsync(
                Dns,
                DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 0x7777),
                0x7777
            )
        );
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal("127.20.1.11", Assert.Single(response.Answers).Data.ToString());
    }

    [Fact]
    public async Task A_question_whose_name_points_at_itself_gets_formerr_and_the_server_keeps_answering()
    {
        // Offset 12 holds a pointer to offset 12: a compression loop.
        byte[] loop = [.. Header(0x0101, 0x0000, 1), 0xC0, 12, 0, 1, 0, 1];

        var response = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, loop, 0x0101));

        Assert.True(response.IsResponse);
        Assert.Equal(DnsResponseCode.FormatError, response.ResponseCode);
        await AssertAnswersNormallyAsync();
    }

    [Fact]
    public async Task A_question_cut_off_in_its_name_gets_formerr()
    {
        byte[] cut = [.. Header(0x0102, 0x0100, 1), 4, (byte)'m', (byte)'t'];

        var response = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, cut, 0x0102));

        Assert.Equal(DnsResponseCode.FormatError, response.ResponseCode);
        Assert.True(response.RecursionDesired); // RD is copied even when nothing else could be read
    }

    [Fact]
    public async Task A_query_with_two_questions_gets_formerr()
    {
        var one = DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 0x0103);
        var m = DnsMessage.Parse(one);
        m.Questions.Add(new DnsQuestion("mta2.acme-mail.example.", DnsRecordType.A));

        var response = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, m.Encode(), 0x0103));

        Assert.Equal(DnsResponseCode.FormatError, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task Packets_too_short_for_a_header_and_responses_are_dropped_without_harm()
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(Dns);
        var notAQuery = DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 0x0104);
        notAQuery[2] |= 0x80; // QR: a response, which must not be answered

        await udp.SendAsync(new byte[] { 1, 2, 3 });
        await udp.SendAsync(notAQuery);
        await udp.SendAsync(DnsTestWorld.Query("mta2.acme-mail.example.", DnsRecordType.A, 0x0105));

        // The only datagram coming back on this socket is the answer to the good query.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var first = DnsMessage.Parse((await udp.ReceiveAsync(deadline.Token)).Buffer);
        Assert.Equal(0x0105, first.Id);
        Assert.Equal("127.20.1.12", Assert.Single(first.Answers).Data.ToString());
        Assert.Equal(0, udp.Available);
    }

    [Fact]
    public async Task Opcodes_other_than_query_get_notimp()
    {
        var status = DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 0x0106);
        status[2] |= (byte)(DnsOpcode.Status << 3);

        var response = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, status, 0x0106));

        Assert.Equal(DnsResponseCode.NotImplemented, response.ResponseCode);
        Assert.Equal(DnsOpcode.Status, response.Opcode);
    }

    [Fact]
    public async Task An_edns_version_above_zero_gets_badvers()
    {
        var query = DnsTestWorld.Query(
            "mta1.acme-mail.example.",
            DnsRecordType.A,
            0x0107,
            ednsPayload: 1232,
            ednsVersion: 1
        );

        var response = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, query, 0x0107));

        Assert.Equal(DnsResponseCode.BadVersion, response.ResponseCode);
        Assert.NotNull(response.Edns);
        Assert.Equal(0, response.Edns.Version);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task Zone_transfers_are_refused()
    {
        var response = DnsMessage.Parse(
            (
                await DnsTestWorld.ExchangeTcpAsync(
                    Dns,
                    DnsTestWorld.Query("acme-mail.example.", DnsRecordType.AXFR, 0x0108)
                )
            )[0]
        );

        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
    }

    [Fact]
    public async Task Without_edns_an_answer_over_512_octets_is_truncated_and_tcp_carries_it_whole()
    {
        var query = DnsTestWorld.Query("bulk.acme-mail.example.", DnsRecordType.TXT, 0x0109);

        var udpWire = await DnsTestWorld.ExchangeUdpAsync(Dns, query, 0x0109);
        var tcp = DnsMessage.Parse((await DnsTestWorld.ExchangeTcpAsync(Dns, query))[0]);

        var udp = DnsMessage.Parse(udpWire);
        Assert.True(udpWire.Length <= 512);
        Assert.True(udp.IsTruncated);
        Assert.Empty(udp.Answers);
        Assert.Equal("bulk.acme-mail.example.", Assert.Single(udp.Questions).Name);
        Assert.False(tcp.IsTruncated);
        Assert.Equal(DnsTestWorld.BulkTxtCount, tcp.Answers.Count);
    }

    [Fact]
    public async Task A_client_advertising_more_than_1232_octets_still_gets_at_most_1232_over_udp()
    {
        var query = DnsTestWorld.Query("huge.acme-mail.example.", DnsRecordType.TXT, 0x010A, ednsPayload: 4096);

        var wire = await DnsTestWorld.ExchangeUdpAsync(Dns, query, 0x010A);

        var response = DnsMessage.Parse(wire);
        Assert.True(response.IsTruncated);
        Assert.True(wire.Length <= 1232);
        Assert.Equal(1232, response.Edns!.UdpPayloadSize);
    }

    [Fact]
    public async Task A_client_advertising_a_small_buffer_gets_what_fits_it()
    {
        // The bulk answer (about 1100 octets) fits 1232 but not a 600-octet buffer.
        var small = DnsTestWorld.Query("bulk.acme-mail.example.", DnsRecordType.TXT, 0x010B, ednsPayload: 600);
        var large = DnsTestWorld.Query("bulk.acme-mail.example.", DnsRecordType.TXT, 0x010C, ednsPayload: 1232);

        var smallResponse = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, small, 0x010B));
        var largeResponse = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, large, 0x010C));

        Assert.True(smallResponse.IsTruncated);
        Assert.False(largeResponse.IsTruncated);
        Assert.Equal(DnsTestWorld.BulkTxtCount, largeResponse.Answers.Count);
    }

    [Fact]
    public async Task Several_queries_on_one_tcp_connection_are_answered_in_order_even_after_a_malformed_one()
    {
        byte[] malformed = [.. Header(0x0201, 0x0000, 1), 0xC0, 12, 0, 1, 0, 1];

        var responses = await DnsTestWorld.ExchangeTcpAsync(
            Dns,
            DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 0x0200),
            malformed,
            DnsTestWorld.Query("acme-mail.example.", DnsRecordType.MX, 0x0202),
            DnsTestWorld.Query("nosuch.acme-mail.example.", DnsRecordType.A, 0x0203)
        );

        var parsed = responses.Select(r => DnsMessage.Parse(r)).ToList();
        Assert.Equal([0x0200, 0x0201, 0x0202, 0x0203], parsed.Select(m => (int)m.Id));
        Assert.Equal("127.20.1.11", Assert.Single(parsed[0].Answers).Data.ToString());
        Assert.Equal(DnsResponseCode.FormatError, parsed[1].ResponseCode);
        Assert.Equal(2, parsed[2].Answers.Count);
        Assert.Equal(DnsResponseCode.NameError, parsed[3].ResponseCode);
    }

    [Fact]
    public async Task The_answer_compresses_its_owner_onto_the_question()
    {
        var wire = await DnsTestWorld.ExchangeUdpAsync(
            Dns,
            DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.A, 0x010D),
            0x010D
        );

        // Header (12) + question name (24) + type/class (4): the answer's owner is a pointer to offset 12.
        Assert.Equal(0xC0, wire[40]);
        Assert.Equal(12, wire[41]);
    }

    [Fact]
    public async Task Queries_for_other_classes_are_refused()
    {
        var m = DnsMessage.Parse(DnsTestWorld.Query("mta1.acme-mail.example.", DnsRecordType.TXT, 0x010E));
        m.Questions[0] = m.Questions[0] with { Class = DnsClass.CH };

        var response = DnsMessage.Parse(await DnsTestWorld.ExchangeUdpAsync(Dns, m.Encode(), 0x010E));

        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
    }
}
