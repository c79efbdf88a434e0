using System.Net.Sockets;
using System.Text;

namespace CutoverEngine.Agent.Tests.Postfix;

/// <summary>Hands one message to Postfix's smtpd over SMTP, as the sending application would, and returns its
/// Message-ID.</summary>
public static class SmtpInjector
{
    public static async Task<string> SendAsync(int port, string label)
    {
        var id = $"<{label}.{Guid.NewGuid():N}@app.test.example>";
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await ExpectAsync(reader, "220");
        await CommandAsync(writer, reader, "EHLO app.test.example", "250");
        await CommandAsync(writer, reader, "MAIL FROM:<app@app.test.example>", "250");
        await CommandAsync(writer, reader, "RCPT TO:<someone@customer.test.example>", "250");
        await CommandAsync(writer, reader, "DATA", "354");
        await writer.WriteAsync(
            $"From: app@app.test.example\r\nTo: someone@customer.test.example\r\nMessage-ID: {id}\r\n"
                + $"Subject: {label}\r\n\r\nbody of {label}\r\n.\r\n"
        );
        await ExpectAsync(reader, "250");
        await CommandAsync(writer, reader, "QUIT", "221");
        return id;
    }

    static async Task CommandAsync(StreamWriter writer, StreamReader reader, string command, string code)
    {
        await writer.WriteLineAsync(command);
        await ExpectAsync(reader, code);
    }

    static async Task ExpectAsync(StreamReader reader, string code)
    {
        string? line;
        do
        {
            line = await reader.ReadLineAsync() ?? throw new IOException("Postfix closed the connection");
        } while (line.Length > 3 && line[3] == '-');
        if (!line.StartsWith(code, StringComparison.Ordinal))
            throw new IOException($"Postfix answered '{line}', expected {code}");
    }
}
