using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CutoverEngine.Engine.Waves;

/// <summary>The relay did not take a notice; the message names the relay and what it said or what failed.</summary>
public sealed class NoticeRelayException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Hands customer notices to an SMTP relay through MailKit: STARTTLS whenever the relay offers it (the certificate
/// must be trusted), AUTH when a user is configured, UTF-8 bodies and RFC 2047 encoded names. The probing client in
/// Sending/Verification stays for verification, where speaking SMTP by hand is the point; a customer's mail is not.
/// </summary>
public sealed class NoticeRelay(NoticeSmtpOptions options)
{
    /// <summary>
    /// Returns once the relay accepted the message for every recipient; throws <see cref="NoticeRelayException"/>
    /// otherwise.
    /// </summary>
    public async Task SendAsync(DnsEndPoint relay, MimeMessage message, CancellationToken ct = default)
    {
        var name = $"{relay.Host}:{relay.Port}";
        using var client = new SmtpClient
        {
            Timeout = (int)options.Timeout.TotalMilliseconds,
            LocalDomain = options.HeloName,
        };
        try
        {
            await client.ConnectAsync(relay.Host, relay.Port, SecureSocketOptions.StartTlsWhenAvailable, ct);
            if (!string.IsNullOrEmpty(options.Username))
                await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException e)
        {
            var to = e.Mailbox is { } mailbox ? $" for {mailbox.Address}" : "";
            throw new NoticeRelayException($"relay {name} refused the notice{to}: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            throw new NoticeRelayException(
                $"relay {name} refused the login of user '{options.Username}': {e.Message}",
                e
            );
        }
        catch (Exception e)
            when (e
                    is SmtpProtocolException
                        or SslHandshakeException
                        or SocketException
                        or IOException
                        or TimeoutException
                        or NotSupportedException
                        or ServiceNotConnectedException
                || (e is OperationCanceledException && !ct.IsCancellationRequested)
            )
        {
            throw new NoticeRelayException($"relay {name}: {e.Message}", e);
        }
    }
}
