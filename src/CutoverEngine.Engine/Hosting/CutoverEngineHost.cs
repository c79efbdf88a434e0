using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Hosting;

/// <summary>
/// A running engine for the command line (`cutover run`, `demo`): services built from configuration,
/// WorkflowCore started on the SQLite store, which also resumes every cutover a previous run left in flight.
/// </summary>
public sealed class CutoverEngineHost : IAsyncDisposable
{
    readonly ServiceProvider _provider;
    readonly IWorkflowHost _workflows;

    CutoverEngineHost(ServiceProvider provider, IWorkflowHost workflows)
    {
        _provider = provider;
        _workflows = workflows;
    }

    public IServiceProvider Services => _provider;
    public CutoverLauncher Launcher => _provider.GetRequiredService<CutoverLauncher>();
    public Reverts.RevertLauncher Reverts => _provider.GetRequiredService<Reverts.RevertLauncher>();
    public ICutoverJournal Journal => _provider.GetRequiredService<ICutoverJournal>();
    public EngineOptions Options =>
        _provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EngineOptions>>().Value;

    public static async Task<CutoverEngineHost> StartAsync(
        IConfiguration configuration,
        Action<ILoggingBuilder> logging,
        Action<IServiceCollection>? extra = null,
        Definitions.StepKindCatalog? steps = null,
        CancellationToken ct = default
    )
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging);
        services.AddCutoverEngine(configuration, steps);
        extra?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        try
        {
            var host = await provider.StartCutoverEngineAsync(ct);
            return new CutoverEngineHost(provider, host);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping leaves in-flight cutovers stored as they are; the next start resumes them.
        await _workflows.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
