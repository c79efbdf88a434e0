using System.CommandLine;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Hosting;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// `cutover retry ENV [--reason R]`: asks the engine holding a stuck rollback's pause to run its failed restore step
/// again (journaled: who, why, which step), then follows the rollback to where it next stands. It writes the journal
/// only, so it works beside the `cutover serve` or `cutover run` that holds the pause. Exit 0 rolled back, 1 stuck
/// again or failed, 2 refused (nothing stuck, or a retry already asked; nothing changed), 4 not there within
/// --follow (the engine carries on).
/// </summary>
public static class RetryCommand
{
    public const int NotFinishedExitCode = 4;

    public static Command Create()
    {
        var environment = new Argument<string>("environment")
        {
            Description = "The environment whose stuck rollback to retry",
        };
        var reason = new Option<string?>("--reason") { Description = "Why (journaled with who asked)" };
        var follow = new Option<TimeSpan>("--follow")
        {
            Description = "How long to follow the retried rollback before handing it to the engine alone",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
        };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
        };
        var command = new Command(
            "retry",
            "Retry a stuck rollback: run its failed restore step again and, once restored, the rest of the rollback"
        )
        {
            environment,
            reason,
            follow,
            config,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var configuration = CliHosting.Configuration(parse.GetValue(config));
                var engine =
                    configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
                var retry = new RollbackRetry(new SqliteJournal(engine.DatabasePath, TimeProvider.System));
                var id = parse.GetValue(environment)!;
                JournalEntry request;
                try
                {
                    request = await retry.RequestAsync(id, parse.GetValue(reason), RunCommand.Actor(), ct);
                }
                catch (RollbackRetryRefusedException e)
                {
                    Console.Error.WriteLine(e.Message + "\nNothing was changed.");
                    return 2;
                }
                Console.WriteLine(
                    $"Retry of {request.Step} of {id} asked (journal #{request.Sequence}); the engine holding the pause runs it at its next look."
                );
                var end = await retry.FollowAsync(
                    request,
                    TimeSpan.FromMilliseconds(250),
                    parse.GetValue(follow),
                    TimeProvider.System,
                    ct
                );
                if (end is null)
                {
                    Console.WriteLine($"{id}: not there within --follow; the engine carries on.");
                    return NotFinishedExitCode;
                }
                Console.WriteLine($"{id}: {JournalEntrySummary.Describe(end)}");
                return
                    end.Event == IncidentPayload.Event
                    && JournalPayload.Parse(end.Payload).String("outcome") == CutoverOutcomes.RolledBack
                    ? 0
                    : 1;
            }
        );
        return command;
    }
}
