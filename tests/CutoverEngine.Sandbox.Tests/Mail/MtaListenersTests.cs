using System.Net;
using System.Net.Sockets;
using System.Text;
using CutoverEngine.Sandbox.Smtp;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Tests.Mail;

public sealed class MtaListenersTests : IAsyncLifetime
{
    readonly SandboxWorld _world = new(MailTopology.Build(), TimeProvider.System);
    MtaListeners _mtas = null!;
    int _port;

    public async Task InitializeAsync()
    {
        // Long enough that no conversation here times out between two commands on a loaded machine; the idle
        // timeout's own test starts a listener of its own with a short one.
        _mtas = new MtaListeners(_world, new MtaOptions { IdleTimeout = TimeSpan.FromSeconds(30) });
        _port = await _mtas.StartAsync(0, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _mtas.DisposeAsync();

    [Fact]
    public async Task Binds_every_mta_address_on_one_port()
    {
        Assert.NotEqual(0, _port);
        Assert.Equal(_port, _mtas.Port);
        Assert.Equal(
            new[] { MailTopology.DcAddress, MailTopology.ElasticIp }.Select(a => a.ToString()).Order(),
            _mtas.Addresses.Select(a => a.ToString()).Order()
        );
    }

    [Fact]
    public async Task A_conversation_delivers_one_message_counted_once_with_dot_stuffing_undone()
    {
        await using var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port);
        Assert.Equal(
            $"220 {MailTopology.DcHostName} ESMTP CutoverEngine sandbox ({MailTopology.DcHostId})",
            await smtp.ReadLineAsync()
        );

        var ehlo = await smtp.CommandAsync("EHLO client.example");
        Assert.Equal($"250-{MailTopology.DcHostName}", ehlo[0]);
        Assert.Contains("250-PIPELINING", ehlo);
        Assert.Contains(ehlo, l => l.StartsWith("250-SIZE ", StringComparison.Ordinal));
        Assert.Contains("250-8BITMIME", ehlo);
        Assert.StartsWith("250 ", ehlo[^1]);

        Assert.StartsWith(
            "250 2.1.0",
            (await smtp.CommandAsync("MAIL FROM:<sender@acme-mail.example> BODY=8BITMIME"))[0]
        );
        Assert.StartsWith("250 2.1.5", (await smtp.CommandAsync("RCPT TO:<someone@customers.example>"))[0]);
        Assert.StartsWith("354 ", (await smtp.CommandAsync("DATA"))[0]);
        // As sent on the wire: lines that start with a dot are doubled; a lone ".." is a line holding one dot.
        var wire =
            "Message-ID: <one@acme-mail.example>\r\nSubject: dots\r\n\r\n..leading dot\r\n..\r\nlast line\r\n.\r\n";
        var reply = await smtp.CommandAsync(wire);
        Assert.Matches(@"^250 2\.0\.0 Ok: queued as [0-9A-F]+$", reply[0]);

        var stored = "Message-ID: <one@acme-mail.example>\r\nSubject: dots\r\n\r\n.leading dot\r\n.\r\nlast line\r\n";
        var journal = _mtas.Ledger.ForHost(MailTopology.DcHostId);
        Assert.Equal(1, journal.Accepted);
        Assert.Equal(["<one@acme-mail.example>"], journal.MessageIds);
        Assert.Equal(Encoding.UTF8.GetByteCount(stored), journal.Receipts[0].Octets);
        Assert.Equal(MailTopology.DcAddress, journal.Receipts[0].Address);
        Assert.Equal(reply[0]["250 2.0.0 Ok: queued as ".Length..], journal.Receipts[0].QueueId);
        Assert.Equal(1, _world.Hosts[MailTopology.DcHostId].MessagesAccepted);
        Assert.Equal(0, _world.Hosts[MailTopology.AwsHostId].MessagesAccepted);
        Assert.Equal(1, _mtas.Ledger.ForAddress(MailTopology.DcAddress).Accepted);
        Assert.Equal(0, _mtas.Ledger.Duplicates);

        Assert.StartsWith("221 ", (await smtp.CommandAsync("QUIT"))[0]);
        Assert.Null(await smtp.ReadLineAsync());
    }

    [Fact]
    public async Task The_same_message_id_accepted_twice_is_a_duplicate()
    {
        for (int i = 0; i < 2; i++)
        {
            await using var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port);
            await smtp.ReadLineAsync();
            await smtp.CommandAsync("HELO client.example");
            await smtp.CommandAsync("MAIL FROM:<a@acme-mail.example>");
            await smtp.CommandAsync("RCPT TO:<b@customers.example>");
            await smtp.CommandAsync("DATA");
            Assert.StartsWith(
                "250 ",
                (await smtp.CommandAsync("Message-Id:\r\n <twice@acme-mail.example>\r\n\r\nbody\r\n.\r\n"))[0]
            );
        }
        Assert.Equal(2, _mtas.Ledger.Accepted);
        Assert.Equal(1, _mtas.Ledger.Duplicates);
        Assert.Equal(2, _mtas.Ledger.TimesAccepted("<twice@acme-mail.example>"));
        Assert.Equal(1, _mtas.Ledger.ForHost(MailTopology.DcHostId).Duplicates);
        Assert.True(_mtas.Ledger.ForHost(MailTopology.DcHostId).Receipts[1].Duplicate);
    }

    [Fact]
    public async Task Commands_out_of_sequence_or_malformed_get_5xx_and_the_session_goes_on()
    {
        await using var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port);
        await smtp.ReadLineAsync();
        Assert.StartsWith("503 5.5.1", (await smtp.CommandAsync("MAIL FROM:<a@acme-mail.example>"))[0]); // before EHLO
        Assert.StartsWith("501 ", (await smtp.CommandAsync("EHLO"))[0]);
        await smtp.CommandAsync("EHLO client.example");
        Assert.StartsWith("503 5.5.1", (await smtp.CommandAsync("RCPT TO:<b@customers.example>"))[0]);
        Assert.StartsWith("503 5.5.1", (await smtp.CommandAsync("DATA"))[0]);
        Assert.StartsWith("501 5.5.4", (await smtp.CommandAsync("MAIL FROM:a@acme-mail.example"))[0]);
        Assert.StartsWith("552 ", (await smtp.CommandAsync("MAIL FROM:<a@acme-mail.example> SIZE=999999999999"))[0]);
        Assert.StartsWith("500 5.5.2", (await smtp.CommandAsync("FROB"))[0]);
        Assert.StartsWith("500 5.5.6", (await smtp.CommandAsync("NOOP " + new string('x', 600)))[0]);
        Assert.StartsWith("250 ", (await smtp.CommandAsync("NOOP"))[0]);
        await smtp.CommandAsync("MAIL FROM:<a@acme-mail.example>");
        Assert.StartsWith("503 5.5.1", (await smtp.CommandAsync("DATA"))[0]); // no recipient yet
        Assert.StartsWith("250 ", (await smtp.CommandAsync("RSET"))[0]);
        Assert.StartsWith("503 5.5.1", (await smtp.CommandAsync("RCPT TO:<b@customers.example>"))[0]); // RSET ended the transaction
        Assert.Equal(0, _mtas.Ledger.Accepted);
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port);
        await smtp.ReadLineAsync();
        await smtp.CommandAsync("EHLO client.example");
        await smtp.WriteAsync(
            "MAIL FROM:<a@acme-mail.example>\r\nRCPT TO:<b@customers.example>\r\nRCPT TO:<c@customers.example>\r\nDATA\r\n"
        );
        Assert.StartsWith("250 2.1.0", await smtp.ReadLineAsync());
        Assert.StartsWith("250 2.1.5", await smtp.ReadLineAsync());
        Assert.StartsWith("250 2.1.5", await smtp.ReadLineAsync());
        Assert.StartsWith("354 ", await smtp.ReadLineAsync());
        await smtp.WriteAsync("Message-ID: <piped@acme-mail.example>\r\n\r\nhi\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0", await smtp.ReadLineAsync());
        Assert.StartsWith("221 ", await smtp.ReadLineAsync());
        Assert.Equal(1, _mtas.Ledger.TimesAccepted("<piped@acme-mail.example>"));
    }

    [Fact]
    public async Task A_data_line_over_the_limit_refuses_the_message()
    {
        await using var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port);
        await smtp.ReadLineAsync();
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<a@acme-mail.example>");
        await smtp.CommandAsync("RCPT TO:<b@customers.example>");
        await smtp.CommandAsync("DATA");
        Assert.StartsWith(
            "554 5.6.0",
            (await smtp.CommandAsync($"Message-ID: <long@x.example>\r\n\r\n{new string('y', 1200)}\r\n.\r\n"))[0]
        );
        Assert.StartsWith("250 ", (await smtp.CommandAsync("NOOP"))[0]);
        Assert.Equal(0, _mtas.Ledger.Accepted);
    }

    [Fact]
    public async Task An_idle_client_is_told_421_and_disconnected()
    {
        await _mtas.DisposeAsync();
        _mtas = new MtaListeners(_world, new MtaOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
        _port = await _mtas.StartAsync(0, CancellationToken.None);
        await using var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port);
        await smtp.ReadLineAsync();
        // This listener's idle timeout is 1 s; the raw client waits up to 10 s for the 421.
        Assert.StartsWith("421 4.4.2", await smtp.ReadLineAsync());
        Assert.Null(await smtp.ReadLineAsync());
    }

    [Fact]
    public async Task Nothing_answers_on_an_unassociated_elastic_ip_until_it_is_associated()
    {
        Assert.Null(await RawSmtp.GreetingOrNothingAsync(MailTopology.ElasticIp, _port));

        MailTopology.AssociateElasticIp(_world);

        await using (var smtp = await RawSmtp.ConnectAsync(MailTopology.ElasticIp, _port))
            Assert.Equal(
                $"220 {MailTopology.AwsHostName} ESMTP CutoverEngine sandbox ({MailTopology.AwsHostId})",
                await smtp.ReadLineAsync()
            );
        await using (var smtp = await RawSmtp.ConnectAsync(MailTopology.DcAddress, _port))
            Assert.Equal(
                $"220 {MailTopology.DcHostName} ESMTP CutoverEngine sandbox ({MailTopology.DcHostId})",
                await smtp.ReadLineAsync()
            );
    }

    [Fact]
    public async Task The_host_is_fixed_at_connect_time()
    {
        MailTopology.AssociateElasticIp(_world);
        await using var smtp = await RawSmtp.ConnectAsync(MailTopology.ElasticIp, _port);
        Assert.Contains($"({MailTopology.AwsHostId})", await smtp.ReadLineAsync());
        lock (_world.Gate)
            // disassociated mid-session
            _world.Accounts[MailTopology.AccountId].ElasticIps[MailTopology.AllocationId].InstanceId = null;
        await smtp.CommandAsync("EHLO client.example");
        await smtp.CommandAsync("MAIL FROM:<a@acme-mail.example>");
        await smtp.CommandAsync("RCPT TO:<b@customers.example>");
        await smtp.CommandAsync("DATA");
        Assert.StartsWith("250 ", (await smtp.CommandAsync("Message-ID: <late@x.example>\r\n\r\nhi\r\n.\r\n"))[0]);
        Assert.Equal(1, _mtas.Ledger.ForHost(MailTopology.AwsHostId).Accepted);
        Assert.Equal(1, _mtas.Ledger.ForAddress(MailTopology.ElasticIp).Accepted);
    }
}

/// <summary>A raw SMTP client over TcpClient: writes exactly what the test says and reads replies line by
/// line.</summary>
sealed class RawSmtp : IAsyncDisposable
{
    static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    readonly TcpClient _client;
    readonly NetworkStream _stream;
    readonly StreamReader _reader;

    RawSmtp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public static async Task<RawSmtp> ConnectAsync(IPAddress address, int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(address, port);
        return new RawSmtp(client);
    }

    public async Task WriteAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    /// <summary>
    /// The greeting, or null when nothing answers: the listener resets at once, which the client sees either as a
    /// failed
    /// connect or as a reset/closed stream before any line, depending on who wins the race.
    /// </summary>
    public static async Task<string?> GreetingOrNothingAsync(IPAddress address, int port)
    {
        try
        {
            await using var smtp = await ConnectAsync(address, port);
            return await smtp.ReadLineAsync();
        }
        catch (SocketException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Sends one command (CRLF added unless present) and returns every line of the reply.</summary>
    public async Task<List<string>> CommandAsync(string command)
    {
        await WriteAsync(command.EndsWith("\r\n", StringComparison.Ordinal) ? command : command + "\r\n");
        var lines = new List<string>();
        while (true)
        {
            var line =
                await ReadLineAsync()
                ?? throw new IOException(
                    $"connection closed while waiting for the reply to '{command.Split('\r')[0]}'"
                );
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
                return lines;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
