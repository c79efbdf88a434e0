using System.CommandLine;
using System.Runtime.InteropServices;
using CutoverEngine.Agent;
using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Http;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// <c>cutover agent --config FILE</c>: the sending-control agent beside an MTA (runs until SIGTERM or Ctrl+C);
/// <c>cutover agent check --config FILE</c>: reads each environment's MTA state, changes nothing;
/// <c>cutover agent hash-token</c>: prints the SHA-256 of the token read from standard input, for the configuration.
/// Exit codes: 0 fine, 1 a check failed, 2 the configuration was refused.
/// </summary>
public static class AgentCommand
{
    public const int ExitCheckFailed = 1,
        ExitBadConfig = 2;

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config")
        {
            Description = "The agent's YAML configuration",
            Required = true,
        };
        var command = new Command(
            "agent",
            "Serve the sending-control protocol beside an MTA, holding the pause lease on the host."
        );
        command.Options.Add(config);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.InvocationConfiguration, ct));

        var checkConfig = new Option<FileInfo>("--config")
        {
            Description = "The agent's YAML configuration",
            Required = true,
        };
        var check = new Command(
            "check",
            "Show that each environment's driver can reach its MTA and read its state; pauses nothing."
        );
        check.Options.Add(checkConfig);
        check.SetAction((parse, ct) => CheckAsync(parse.GetValue(checkConfig)!, parse.InvocationConfiguration, ct));
        command.Subcommands.Add(check);

        var hash = new Command(
            "hash-token",
            "Read a token from standard input and print the sha256 the configuration stores."
        );
        hash.SetAction(parse =>
        {
            var token = Console.In.ReadLine()?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                parse.InvocationConfiguration.Error.WriteLine("no token on standard input");
                return ExitBadConfig;
            }
            parse.InvocationConfiguration.Output.WriteLine(BearerTokens.HashHex(token));
            return 0;
        });
        command.Subcommands.Add(hash);
        return command;
    }

    static AgentConfig? Load(FileInfo file, InvocationConfiguration io)
    {
        try
        {
            return AgentConfigReader.Load(file.ToString());
        }
        catch (AgentConfigException e)
        {
            foreach (var problem in e.Problems)
                io.Error.WriteLine(problem);
            return null;
        }
    }

    static async Task<int> RunAsync(FileInfo file, InvocationConfiguration io, CancellationToken ct)
    {
        if (Load(file, io) is not { } config)
            return ExitBadConfig;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var term = PosixSignalRegistration.Create(
            PosixSignal.SIGTERM,
            c =>
            {
                c.Cancel = true;
                stop.Cancel();
            }
        );
        AgentHost host;
        try
        {
            host = await AgentHost.StartAsync(config, TimeProvider.System, io.Error, stop.Token);
        }
        catch (Exception e)
            when (e is InvalidDataException or IOException or System.Security.Cryptography.CryptographicException)
        {
            io.Error.WriteLine($"{file}: the agent did not start: {e.Message}");
            return ExitBadConfig;
        }
        await using (host)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) { }
        }
        return 0;
    }

    static async Task<int> CheckAsync(FileInfo file, InvocationConfiguration io, CancellationToken ct)
    {
        if (Load(file, io) is not { } config)
            return ExitBadConfig;
        var failures = await AgentCheck.RunAsync(config, io.Output, ct);
        foreach (var f in failures)
            io.Error.WriteLine($"FAILED {f}");
        return failures.Count == 0 ? 0 : ExitCheckFailed;
    }
}
