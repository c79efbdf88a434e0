using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Cli.Hosting;

/// <summary>
/// What `cutover` says when a command ends in an exception: one clear line and a documented exit code, never a
/// stack trace (unless --verbose). Exit codes: 2 bad input or settings (nothing started), 3 the store is held by
/// another engine, 70 an unexpected error (a bug: the message names it, --verbose shows where).
/// </summary>
public static class CliErrors
{
    public const int BadInput = 2;
    public const int Unexpected = 70;
    public const int Interrupted = 130;

    public static int Report(Exception e, bool verbose, TextWriter error)
    {
        var (code, message) = Classify(e);
        error.WriteLine(message);
        if (verbose)
            error.WriteLine(e.ToString());
        else if (code == Unexpected)
            error.WriteLine("Run the command again with --verbose to see where it failed.");
        return code;
    }

    static (int Code, string Message) Classify(Exception e) =>
        e switch
        {
            CliInputException => (BadInput, e.Message),
            EngineStoreHeldException => (EngineStoreHeldException.ExitCode, e.Message),
            OperationCanceledException => (Interrupted, "Interrupted."),
            _ when WaveExecution.IsStartupError(e) => (BadInput, e.Message + "\nNothing was started."),
            PolicyRefusedException => (3, e.Message),
            WaveStateException or UnknownEnvironmentException or KeyNotFoundException or FormatException => (
                BadInput,
                e.Message
            ),
            SqliteException s => (
                BadInput,
                $"The engine's database cannot be used: {s.Message} (setting Engine:DatabasePath; it must be an SQLite file in a writable directory)"
            ),
            HttpRequestException or System.Net.Sockets.SocketException => (
                BadInput,
                $"An endpoint did not answer: {e.Message}. Check the settings' endpoints (Aws:ServiceUrl, Sending:Verification) and the inventory's sendingControl, or start `cutover sandbox` and use --config sandbox.settings.json"
            ),
            UnauthorizedAccessException or IOException => (BadInput, $"{e.Message} (nothing was started)"),
            _ => (Unexpected, $"cutover failed unexpectedly: {e.GetType().Name}: {e.Message}"),
        };
}
