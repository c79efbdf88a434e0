using System.CommandLine;

namespace CutoverEngine.Cli;

/// <summary>The `cutover` command: one subcommand per job a migration engineer or auditor does.</summary>
public static class CutoverCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "CutoverEngine: moves email-sending infrastructure to AWS, environment by environment."
        );
        foreach (var sub in Build())
            root.Subcommands.Add(sub);
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Subcommands are contributed by feature files (SandboxCommands, ...).</summary>
    static IEnumerable<Command> Build()
    {
        yield return Commands.ValidateCommand.Create();
        yield return Commands.SandboxCommand.Create();
        yield return Commands.PlanCommand.Create();
        yield return Commands.RunCommand.Create();
        yield return Commands.DemoCommand.Create();
        yield return Commands.AuditCommand.Create();
        yield return Commands.HistoryCommand.Create();
        yield return Commands.ReportCommand.Create();
        yield return Serve.ServeCommand.Create();
        yield return Commands.WaveCommand.Create();
        yield return Commands.DoctorCommand.Create();
        yield return Commands.AgentCommand.Create();
        yield return Commands.CustomerCommand.Create();
    }
}
