using System.CommandLine;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Reverts;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// `cutover revert ENV --reason R`: moves a completed cutover's environment back to the data centre (workflow
/// <c>revert</c>) and follows it to its end. Exit 0 reverted, 1 the revert rolled back to AWS or failed, 2 refused
/// (nothing changed).
/// </summary>
public static class RevertCommand
{
    public static Command Create()
    {
        var environment = new Argument<string>("environment")
        {
            Description = "The environment whose cutover to revert",
        };
        var reason = new Option<string>("--reason") { Description = "Why (journaled with who asked)", Required = true };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
        };
        var command = new Command(
            "revert",
            "Revert a completed cutover: pause, put addresses and DNS back as the cutover found them, verify the data centre, resume"
        )
        {
            environment,
            reason,
            config,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var configuration = CliHosting.Configuration(parse.GetValue(config));
                var logger = CliHosting.Logger(configuration);
                try
                {
                    await using var engine = await CutoverEngineHost.StartAsync(
                        configuration,
                        CliHosting.Logging(logger),
                        ct: ct
                    );
                    var id = await engine.Reverts.StartAsync(
                        parse.GetValue(environment)!,
                        parse.GetValue(reason)!,
                        RunCommand.Actor(),
                        ct
                    );
                    Console.WriteLine($"Revert {id} started; following it to its end.");
                    var results = await engine.Reverts.WaitAsync(id, TimeSpan.FromMilliseconds(250), ct);
                    foreach (var r in results)
                        Console.WriteLine(
                            $"{r.EnvironmentId}: revert {r.Outcome}"
                                + (r.Downtime.DowntimeSeconds is { } s ? $"; downtime {s:0.0}s" : "")
                                + (r.RollbackCause is { } cause ? $"; back on AWS: {cause}" : "")
                        );
                    return results.All(r => r.Outcome == CutoverOutcomes.Completed) ? 0 : 1;
                }
                catch (RevertRefusedException e)
                {
                    Console.Error.WriteLine(e.Message + "\nNothing was changed.");
                    return 2;
                }
                catch (EngineStoreHeldException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return EngineStoreHeldException.ExitCode;
                }
                catch (Exception e) when (WaveExecution.IsStartupError(e))
                {
                    Console.Error.WriteLine(e.Message + "\nNothing was started.");
                    return 2;
                }
                finally
                {
                    (logger as IDisposable)?.Dispose();
                }
            }
        );
        return command;
    }
}
