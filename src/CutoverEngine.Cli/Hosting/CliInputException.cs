namespace CutoverEngine.Cli.Hosting;

/// <summary>Input a command cannot work with (a settings file missing or not JSON, ...): the message names the
/// problem and where; `cutover` prints it and exits 2 having started nothing.</summary>
public sealed class CliInputException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const int ExitCode = 2;
}
