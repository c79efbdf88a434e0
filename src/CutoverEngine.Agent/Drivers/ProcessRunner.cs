using System.Diagnostics;

namespace CutoverEngine.Agent.Drivers;

/// <summary>What one command printed and how it ended.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs a program with an argument list (never through a shell, so no input is ever parsed as shell syntax),
/// with a timeout after which the whole process tree is killed.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        IReadOnlyList<string> command,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        if (command.Count == 0)
            throw new ArgumentException("A command needs at least the program.", nameof(command));
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
            psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new MtaDriverException($"{Describe(command)}: did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MtaDriverException($"{Describe(command)}: cannot start: {e.Message}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested)
                    throw;
                throw new MtaDriverException(
                    $"{Describe(command)}: no answer within {timeout.TotalSeconds:0} s; killed"
                );
            }
            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Runs and insists on exit code 0; otherwise the error carries the command and its stderr.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(
        IReadOnlyList<string> command,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        var result = await RunAsync(command, timeout, ct);
        if (result.ExitCode != 0)
            throw new MtaDriverException(
                $"{Describe(command)}: exit code {result.ExitCode}: {Trim(result.Stderr.Length > 0 ? result.Stderr : result.Stdout)}"
            );
        return result;
    }

    public static string Describe(IReadOnlyList<string> command) => string.Join(' ', command);

    static string Trim(string text)
    {
        text = text.Trim();
        return text.Length > 500 ? text[..500] + "..." : text;
    }
}
