using System.Net.Sockets;
using System.Text;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// Writes trigger bytes to a Postfix queue manager's <c>public/qmgr</c> UNIX socket, as Postfix's own clients do:
/// one connection, the bytes, close; qmgr answers nothing.
/// </summary>
static class QmgrTrigger
{
    /// <returns>False when there is no such socket or it refuses (a <c>fifo</c> qmgr refuses a connect): the caller
    /// then uses Postfix's command.</returns>
    public static async Task<bool> TrySendAsync(string queueDirectory, string triggers, CancellationToken ct)
    {
        var path = Path.Combine(queueDirectory, "public", "qmgr");
        if (!File.Exists(path))
            return false;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes(triggers), SocketFlags.None, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
