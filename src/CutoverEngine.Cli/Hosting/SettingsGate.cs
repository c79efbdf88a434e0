using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Hosting;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Cli.Hosting;

/// <summary>Refuses a command whose settings cannot work for the environments it is about to act on (<see
/// cref="EngineSettingsCheck"/>), before the engine starts, a cutover is launched or the journal is written.</summary>
public static class SettingsGate
{
    /// <summary>Throws <see cref="CliInputException"/> listing every problem, one a line.</summary>
    public static void Check(IConfiguration configuration, IReadOnlyCollection<CutoverEnvironment> environments)
    {
        var problems = EngineSettingsCheck.Problems(configuration, environments);
        if (problems.Count > 0)
            throw new CliInputException(
                $"The settings have {problems.Count} problem(s) for the chosen environments; nothing was started:\n"
                    + string.Join('\n', problems)
            );
    }
}
