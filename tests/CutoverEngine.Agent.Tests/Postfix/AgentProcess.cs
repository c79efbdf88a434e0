using System.Diagnostics;
using System.Text.Json;

namespace CutoverEngine.Agent.Tests.Postfix;

/// <summary>The real `cutover agent --config FILE` process, so a test can kill -9 it.</summary>
public sealed class AgentProcess : IDisposable
{
    readonly Process _process;
    readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<string> _stderr = [];

    AgentProcess(Process process) => _process = process;

    public IReadOnlyList<string> Stderr
    {
        get
        {
            lock (_stderr)
                return [.. _stderr];
        }
    }

    public static Task<AgentProcess> StartAsync(string configFile) =>
        StartAsync(["dotnet", Path.Combine(AppContext.BaseDirectory, "cutover.dll"), "agent", "--config", configFile]);

    /// <summary>A command that ends by exec-ing the agent (e.g. inside <c>unshare -m</c>), so that its pid is the
    /// agent's and a kill -9 kills the agent.</summary>
    public static async Task<AgentProcess> StartAsync(IReadOnlyList<string> command)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
            psi.ArgumentList.Add(a);
        var agent = new AgentProcess(Process.Start(psi)!);
        agent._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (agent._stderr)
                agent._stderr.Add(e.Data);
            if (e.Data.Contains("\"event\":\"listening\"", StringComparison.Ordinal))
                agent._listening.TrySetResult(
                    new Uri(JsonDocument.Parse(e.Data).RootElement.GetProperty("endpoint").GetString()!)
                );
        };
        agent._process.OutputDataReceived += (_, _) => { };
        agent._process.BeginErrorReadLine();
        agent._process.BeginOutputReadLine();
        _ = agent
            ._process.WaitForExitAsync()
            .ContinueWith(
                _ =>
                    agent._listening.TrySetException(
                        new InvalidOperationException("the agent exited: " + string.Join('\n', agent.Stderr))
                    ),
                TaskScheduler.Default
            );
        agent.Endpoint = await agent._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return agent;
    }

    public Uri Endpoint { get; private set; } = null!;

    public int Pid => _process.Id;

    /// <summary>SIGKILL: no handler runs, nothing is flushed or resumed.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            KillHard();
        _process.Dispose();
    }
}
