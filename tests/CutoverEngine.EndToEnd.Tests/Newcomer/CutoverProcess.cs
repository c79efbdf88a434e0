using System.Diagnostics;
using System.Globalization;
using System.Text;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Newcomer;

/// <summary>A `cutover` process in a directory, its output collected as it comes; killed with its children on
/// dispose.</summary>
public sealed class CutoverProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _stdout = new();
    readonly StringBuilder _stderr = new();

    CutoverProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_stdout)
                _stdout.AppendLine(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
                _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string CutoverDll => Path.Combine(AppContext.BaseDirectory, "cutover.dll");

    public string Stdout
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static CutoverProcess Start(
        string directory,
        IEnumerable<string> args,
        IDictionary<string, string>? env = null
    )
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        psi.ArgumentList.Add(CutoverDll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        return new CutoverProcess(Process.Start(psi)!);
    }

    /// <summary>Runs `cutover` to its end (deadline 3 min) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string directory,
        IEnumerable<string> args,
        IDictionary<string, string>? env = null
    )
    {
        await using var p = Start(directory, args, env);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p._process.WaitForExitAsync(timeout.Token);
        p._process.WaitForExit(); // the asynchronous readers have seen the end of both streams
        return (p.ExitCode, p.Stdout, p.Stderr);
    }

    /// <summary>Waits until stdout holds <paramref name="text"/>; fails at the deadline, or at once if the process
    /// ended, with what it wrote.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan deadline)
    {
        await Eventually.TrueAsync(
            () => HasExited || Stdout.Contains(text, StringComparison.Ordinal),
            deadline,
            () => $"'{text}' on stdout; so far: {Stdout} {Stderr}"
        );
        if (!Stdout.Contains(text, StringComparison.Ordinal))
            throw new Xunit.Sdk.XunitException($"exited {ExitCode} before '{text}': {Stdout} {Stderr}");
    }

    /// <summary>SIGTERM, then waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan deadline)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The repository root (the directory holding CutoverEngine.sln), found upwards from the tests.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
                return dir.FullName;
        throw new InvalidOperationException("CutoverEngine.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh directory holding what a clone brings that the commands read (infra/, workflows/).</summary>
    public static string CleanCheckout()
    {
        var root = RepositoryRoot();
        var dir = Directory.CreateTempSubdirectory("cutover-newcomer-").FullName;
        foreach (var sub in new[] { "infra", "workflows" })
            Copy(Path.Combine(root, sub), Path.Combine(dir, sub));
        return dir;
    }

    static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var sub in Directory.GetDirectories(from))
            Copy(sub, Path.Combine(to, Path.GetFileName(sub)));
    }

    /// <summary>Splits a README command line as a shell would for these commands: words, "double quotes", no
    /// comment.</summary>
    public static IReadOnlyList<string> Words(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                    words.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else if (c == '#' && !quoted && !any)
                break;
            else
            {
                current.Append(c);
                any = true;
            }
        }
        if (any)
            words.Add(current.ToString());
        return words;
    }
}
