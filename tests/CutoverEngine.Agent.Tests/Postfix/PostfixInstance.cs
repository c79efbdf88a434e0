using System.Net;
using System.Net.Sockets;
using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Tests.Postfix;

/// <summary>
/// A private Postfix (Debian's package, run by root as Debian does) with its own configuration, queue and data
/// directories under a temp folder: smtpd on a loopback port, every message relayed to <c>[127.0.0.1]:relayPort</c>.
/// The set-up follows docs' MTA-CONTROL.md; a missing package fails loudly (CI installs it).
/// </summary>
public sealed class PostfixInstance : IAsyncDisposable
{
    public const string Commands = "/usr/sbin";
    static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    PostfixInstance(string root, int smtpPort)
    {
        Root = root;
        SmtpPort = smtpPort;
    }

    public string Root { get; }
    public string ConfigDirectory => Path.Combine(Root, "etc");
    public int SmtpPort { get; }
    public string MailLog => Path.Combine(Root, "data", "maillog");

    public static async Task<PostfixInstance> StartAsync(int relayPort)
    {
        var instance = await CreateAsync($"[127.0.0.1]:{relayPort}", "native");
        await Run(Path.Combine(Commands, "postfix"), "-c", instance.ConfigDirectory, "start");
        return instance;
    }

    /// <summary>
    /// The instance's directories and configuration, not started: the caller starts it (e.g. inside its own mount
    /// namespace, whose resolv.conf <paramref name="hostLookup"/> = dns then reads).
    /// </summary>
    /// <param name="relayhost">Postfix's relayhost: <c>[name]:port</c> looks the name's A record up, no MX.</param>
    public static async Task<PostfixInstance> CreateAsync(string relayhost, string hostLookup)
    {
        if (!File.Exists(Path.Combine(Commands, "postfix")))
            throw new InvalidOperationException(
                "Postfix is not installed: apt-get install postfix (see .ci/run), then run again."
            );
        if (Environment.UserName != "root")
            throw new InvalidOperationException(
                "The real-Postfix tests run Postfix as root, as Debian does; run them as root."
            );
        var root = Path.Combine("/tmp", "agent-postfix-" + Guid.NewGuid().ToString("N")[..10]);
        foreach (var d in new[] { "etc", "spool", "data" })
            Directory.CreateDirectory(Path.Combine(root, d));
        var port = FreePort();
        var instance = new PostfixInstance(root, port);
        File.WriteAllLines(
            Path.Combine(root, "etc", "master.cf"),
            MasterCf(File.ReadAllLines("/etc/postfix/master.cf"), port)
        );
        File.WriteAllText(
            Path.Combine(root, "etc", "main.cf"),
            $"""
            compatibility_level = 3.6
            queue_directory = {root}/spool
            data_directory = {root}/data
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            mydestination =
            myhostname = outbound.agent-test.example
            relayhost = {relayhost}
            maillog_file = {root}/data/maillog
            maillog_file_prefixes = /var, /tmp
            smtp_host_lookup = {hostLookup}
            disable_dns_lookups = no
            # Retry quickly, so a flush or a lapse is not hidden behind a back-off.
            minimal_backoff_time = 5s
            maximal_backoff_time = 10s
            queue_run_delay = 5s

            """
        );
        await Run("chown", "postfix:postfix", Path.Combine(root, "data"));
        await Run(Path.Combine(Commands, "postfix"), "-c", instance.ConfigDirectory, "set-permissions");
        return instance;
    }

    /// <summary>Debian's master.cf with chroot off everywhere and smtpd moved to a loopback port.</summary>
    static IEnumerable<string> MasterCf(string[] lines, int port)
    {
        foreach (var line in lines)
        {
            var f = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith('#') || line.Length == 0 || char.IsWhiteSpace(line[0]) || f.Length < 8)
                yield return line;
            else if (f[0] == "smtp" && f[1] == "inet")
                yield return $"127.0.0.1:{port} inet n - n - - smtpd";
            else
            {
                f[4] = "n";
                yield return string.Join(' ', f);
            }
        }
    }

    public async Task<string> DeferTransportsAsync() =>
        (await Run(Path.Combine(Commands, "postconf"), "-c", ConfigDirectory, "-h", "defer_transports")).Stdout.Trim();

    static async Task<ProcessResult> Run(params string[] command) =>
        await ProcessRunner.RunCheckedAsync(command, CommandTimeout, CancellationToken.None);

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Run(Path.Combine(Commands, "postfix"), "-c", ConfigDirectory, "stop");
        }
        catch (MtaDriverException) { }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
    }
}
