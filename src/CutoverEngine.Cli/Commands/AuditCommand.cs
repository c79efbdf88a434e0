using System.CommandLine;
using System.Globalization;
using CutoverEngine.Engine.Audit;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// <c>cutover audit verify|prune</c>: proves the journal is intact, and keeps it from growing without bound.
/// Exit codes: 0 done (verify: chain intact), 1 the journal is broken (verify) or an altered entry stopped pruning,
/// 2 bad arguments or no journal at the path.
/// </summary>
public static class AuditCommand
{
    public const int ExitOk = 0;
    public const int ExitBroken = 1;
    public const int ExitUnusable = 2;

    public static Command Create()
    {
        var command = new Command("audit", "Check and maintain the audit journal.");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreatePrune());
        return command;
    }

    static Command CreateVerify()
    {
        var database = JournalDatabaseOption.Create();
        var command = new Command(
            "verify",
            "Recompute the journal's hash chain and name the first entry that does not match. Changes nothing."
        );
        command.Options.Add(database);
        command.SetAction(
            async (parse, ct) =>
            {
                var output = parse.InvocationConfiguration.Output;
                var error = parse.InvocationConfiguration.Error;
                JournalVerification result;
                try
                {
                    result = await new JournalVerifier(parse.GetValue(database)!).VerifyAsync(ct);
                }
                catch (JournalUnavailableException e)
                {
                    error.WriteLine(e.Message);
                    return ExitUnusable;
                }
                catch (SqliteException e)
                {
                    // A file SQLite itself finds corrupt cannot be verified at all; say so rather than crash.
                    error.WriteLine($"Reading the journal in '{parse.GetValue(database)}' failed: {e.Message}");
                    return ExitUnusable;
                }
                if (result.FirstBreak is { } broken)
                {
                    output.WriteLine(
                        $"BROKEN at entry #{broken.Sequence.ToString(CultureInfo.InvariantCulture)} ({broken.Event}, {broken.Environment ?? "no environment"}, {broken.At}): {broken.Reason}"
                    );
                    output.WriteLine(
                        $"Entries #1 to #{result.LastSequence.ToString(CultureInfo.InvariantCulture)} are intact (last intact hash {result.LastHash})."
                    );
                    return ExitBroken;
                }
                var pruned =
                    result.PrunedPayloads > 0
                        ? $", {result.PrunedPayloads.ToString(CultureInfo.InvariantCulture)} payloads pruned"
                        : "";
                output.WriteLine(
                    $"OK: {result.EntriesChecked.ToString(CultureInfo.InvariantCulture)} entries, chain intact (last hash {result.LastHash}){pruned}"
                );
                return ExitOk;
            }
        );
        return command;
    }

    static Command CreatePrune()
    {
        var database = JournalDatabaseOption.Create();
        var olderThan = new Option<string>("--older-than")
        {
            Description =
                "Drop the payload of entries older than this age: a whole number of days or hours, e.g. 90d or 36h. Hashes and fields are kept; the chain still verifies.",
            Required = true,
        };
        var command = new Command(
            "prune",
            "Drop old entries' payloads (keeping their hashes), so the journal stops growing without bound."
        );
        command.Options.Add(olderThan);
        command.Options.Add(database);
        command.SetAction(
            async (parse, ct) =>
            {
                var output = parse.InvocationConfiguration.Output;
                var error = parse.InvocationConfiguration.Error;
                if (!RetentionAge.TryParse(parse.GetValue(olderThan), out var age, out var problem))
                {
                    error.WriteLine($"--older-than: {problem}");
                    return ExitUnusable;
                }
                try
                {
                    var result = await new JournalRetention(parse.GetValue(database)!, TimeProvider.System).PruneAsync(
                        age,
                        ct
                    );
                    output.WriteLine(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"Pruned {result.EntriesPruned} payloads ({result.PayloadCharactersRemoved} characters) of entries before {result.Cutoff.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z in {result.Batches} batches."
                        )
                    );
                    return ExitOk;
                }
                catch (JournalUnavailableException e)
                {
                    error.WriteLine(e.Message);
                    return ExitUnusable;
                }
                catch (SqliteException e)
                {
                    error.WriteLine(
                        $"Pruning the journal in '{parse.GetValue(database)}' failed (batches committed before it stay pruned): {e.Message}"
                    );
                    return ExitUnusable;
                }
                catch (JournalTamperedException e)
                {
                    error.WriteLine(e.Message);
                    return ExitBroken;
                }
            }
        );
        return command;
    }
}
