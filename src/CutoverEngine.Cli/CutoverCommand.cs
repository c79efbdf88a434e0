using System.CommandLine;
using CutoverEngine.Cli.Hosting;

namespace CutoverEngine.Cli;

/// <summary>The `cutover` command: one subcommand per job a migration engineer or auditor does.</summary>
public static class CutoverCommand
{
    /// <summary>On every command: show the stack trace of an error (otherwise one line says what went
    /// wrong).</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "On an error, also print its stack trace",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Root();
        var parse = root.Parse(args);
        try
        {
            // The default handler prints "Unhandled exception" and the trace; CliErrors says what went wrong instead.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, parse.GetValue(Verbose), Console.Error);
        }
    }

    /// <summary>The whole command tree (also read by the test that keeps README's CLI reference in step).</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand(
            "CutoverEngine: moves email-sending infrastructure to AWS, environment by environment."
        );
        root.Options.Add(Verbose);
        foreach (var sub in Build())
            root.Subcommands.Add(sub);
        return root;
    }

    /// <summary>Subcommands are contributed by feature files (SandboxCommands, ...).</summary>
    static IEnumerable<Command> Build()
    {
        yield return Commands.ValidateCommand.Create();
        yield return Commands.SandboxCommand.Create();
        yield return Commands.PlanCommand.Create();
        yield return Commands.RunCommand.Create();
        yield return Commands.RevertCommand.Create();
        yield return Commands.RetryCommand.Create();
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
