using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Drivers;
using CutoverEngine.Agent.Http;
using CutoverEngine.Agent.Leases;

namespace CutoverEngine.Agent;

/// <summary>
/// One agent process: the configuration, a driver per environment, the leases (restored from the state file first)
/// and the HTTP server. The leases start before the server, so a lease that lapsed while the agent was down is
/// resumed before any caller can ask.
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    readonly AgentLog _log;

    AgentHost(AgentConfig config, TimeProvider clock, TextWriter? console, Func<EnvironmentConfig, IMtaDriver>? drivers)
    {
        Config = config;
        _log = new AgentLog(clock, config.LogFile, console);
        var built = config.Environments.ToDictionary(
            e => e.Key,
            e => drivers?.Invoke(e.Value) ?? MtaDrivers.Create(e.Value, _http),
            StringComparer.Ordinal
        );
        Pauses = new SendingPauses(config, built, clock, _log);
        Server = new AgentServer(config, Pauses, _log);
    }

    public AgentConfig Config { get; }
    public SendingPauses Pauses { get; }
    public AgentServer Server { get; }
    public Uri Endpoint => Server.Endpoint;

    /// <param name="drivers">Tests replace the drivers; null builds the configured ones.</param>
    public static async Task<AgentHost> StartAsync(
        AgentConfig config,
        TimeProvider clock,
        TextWriter? console,
        CancellationToken ct,
        Func<EnvironmentConfig, IMtaDriver>? drivers = null
    )
    {
        var host = new AgentHost(config, clock, console, drivers);
        try
        {
            await host.Pauses.StartAsync(ct);
            await host.Server.StartAsync(ct);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Pauses.DisposeAsync();
        _log.Dispose();
        _http.Dispose();
    }
}
