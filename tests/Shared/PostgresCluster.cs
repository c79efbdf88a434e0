using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CutoverEngine.Testing;

/// <summary>
/// One throw-away PostgreSQL cluster per test run (per test process), started on first use and stopped when the
/// process exits. Tests never share a database: each class takes a <see cref="PostgresDatabase"/> of its own.
/// <para>
/// PostgreSQL refuses to run as root, so as root the cluster belongs to the <c>postgres</c> user (Debian's package
/// creates it) and every server command runs through <c>runuser</c>; otherwise it runs as the current user. The server
/// binaries come from the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (Debian's <c>postgresql</c>, which
/// ./test.sh installs). Set <see cref="ExistingServerVariable"/> to a connection string to use a running server
/// instead (its user must be allowed to create databases).
/// </para>
/// <para>
/// A cluster that cannot be started fails the test that needs it, saying why: no test that needs PostgreSQL is
/// skipped.
/// </para>
/// </summary>
public sealed class PostgresCluster
{
    /// <summary>Environment variable naming a server to use instead of starting one.</summary>
    public const string ExistingServerVariable = "CUTOVER_TEST_POSTGRES";

    const string ServerUser = "postgres";
    const string FolderPrefix = "cutover-postgres-";
    const string OwnerFile = "owner.pid";
    static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);

    readonly string? _root;
    readonly string? _binaries;
    readonly bool _asServerUser;

    PostgresCluster(string adminConnectionString, string? root, string? binaries, bool asServerUser)
    {
        AdminConnectionString = adminConnectionString;
        _root = root;
        _binaries = binaries;
        _asServerUser = asServerUser;
    }

    /// <summary>Connection string of the cluster's superuser on its <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The run's cluster, started by the first caller.</summary>
    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    static async Task<PostgresCluster> StartAsync()
    {
        var existing = Environment.GetEnvironmentVariable(ExistingServerVariable);
        if (!string.IsNullOrWhiteSpace(existing))
            return new PostgresCluster(existing, root: null, binaries: null, asServerUser: false);

        var binaries = FindBinaries();
        var asServerUser = Environment.UserName == "root";
        await SweepAbandonedAsync(binaries, asServerUser);
        var root = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(root, OwnerFile),
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
        );
        var data = Path.Combine(root, "data");
        var socket = Path.Combine(root, "socket");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(socket);
        if (asServerUser)
        {
            // mktemp-style folders are 700: the server user must be able to reach its data and socket folders.
            await RunAsync("chmod", ["755", root]);
            await RunAsync("chown", ["-R", $"{ServerUser}:{ServerUser}", data, socket]);
        }

        var cluster = new PostgresCluster("", root, binaries, asServerUser);
        await cluster.RunServerToolAsync("initdb", ["-D", data, "-A", "trust", "-U", ServerUser, "-E", "UTF8"]);

        // A free port now may be taken by the time the server binds it; try a few.
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            // fsync off: a throw-away cluster needs no durability, and every commit's fsync would slow the tests.
            var serverOptions = string.Create(
                CultureInfo.InvariantCulture,
                $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
            );
            try
            {
                await cluster.RunServerToolAsync(
                    "pg_ctl",
                    ["-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-o", serverOptions, "start"]
                );
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(ex.Message + " server log: " + ReadLog(data));
                continue;
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(data);
            var admin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = ServerUser,
                Database = "postgres",
            }.ConnectionString;
            return new PostgresCluster(admin, root, binaries, asServerUser);
        }

        throw new InvalidOperationException(
            $"Could not start a throw-away PostgreSQL cluster in {root}: {string.Join(" | ", failures)}"
        );
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database, ending its sessions first (a test may leave a pooled connection open).</summary>
    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }

    void Stop(string data)
    {
        try
        {
            RunServerToolAsync("pg_ctl", ["-D", data, "-m", "immediate", "stop"]).GetAwaiter().GetResult();
            TryDelete(_root!);
        }
        catch (InvalidOperationException ex)
        {
            // The process is exiting; a cluster left behind is stopped by the next run's sweep.
            Console.Error.WriteLine($"PostgresCluster: could not stop the test cluster in {_root}: {ex.Message}");
        }
    }

    /// <summary>
    /// Stops and removes clusters whose test process is gone: the test host may be killed before its exit handler
    /// runs, and a killed run must not leave a server behind for good. Clusters of live runs (other test projects
    /// running at the same time) are left alone.
    /// </summary>
    static async Task SweepAbandonedAsync(string binaries, bool asServerUser)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (
                File.Exists(owner)
                && int.TryParse(File.ReadAllText(owner), CultureInfo.InvariantCulture, out var pid)
                && IsAlive(pid)
            )
                continue;
            var abandoned = new PostgresCluster("", folder, binaries, asServerUser);
            var data = Path.Combine(folder, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
                abandoned.Stop(data);
            else
                TryDelete(folder);
        }
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next sweep.
        }
    }

    Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binaries!, tool);
        return _asServerUser
            ? RunAsync("runuser", ["-u", ServerUser, "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    static string FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        var newest = Directory.Exists(Root)
            ? Directory
                .GetDirectories(Root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return newest is null
            ? throw new InvalidOperationException(
                $"The PostgreSQL store's tests need PostgreSQL's server programs ({Root}/<version>/bin/initdb), and "
                    + "none is installed. Install Debian's package 'postgresql' (./test.sh does), or set "
                    + $"{ExistingServerVariable} to a connection string of a server the tests may create databases on."
            )
            : Path.Combine(newest, "bin");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string ReadLog(string data)
    {
        var log = Path.Combine(data, "server.log");
        try
        {
            return File.Exists(log) ? File.ReadAllText(log) : "(none)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(unreadable)";
        }
    }

    static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's own working folder: runuser keeps the caller's, which the server user may not read.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl sends the server's own output to its log (-l), so both pipes end when the tool exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds} s."
            );
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: "
                    + $"{(await stderr).Trim()} {(await stdout).Trim()}"
            );
        }
    }
}
