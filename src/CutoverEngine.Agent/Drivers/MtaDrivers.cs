using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Drivers;

/// <summary>Builds the driver an environment's configuration names.</summary>
public static class MtaDrivers
{
    public static IMtaDriver Create(EnvironmentConfig environment, HttpClient http) =>
        environment.Settings switch
        {
            PostfixSettings s => new PostfixDriver(s),
            KumoMtaSettings s => new KumoMtaDriver(s, http),
            PowerMtaSettings s => new PowerMtaDriver(s),
            CommandsSettings s => new CommandsDriver(s),
            _ => throw new ArgumentException($"no driver for {environment.Driver}", nameof(environment)),
        };
}
