using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The webhook dispatcher, bound from <c>Webhooks</c>; started with the engine's workers
    /// (<see cref="EngineServiceCollectionExtensions.StartCutoverEngineAsync"/>).</summary>
    public static IServiceCollection AddCutoverWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName));
        services.AddSingleton(sp => new WebhookCursorStore(
            sp.GetRequiredService<IOptions<EngineOptions>>().Value.DatabasePath
        ));
        services.AddSingleton(sp => new WebhookDispatcher(
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<ICutoverJournal>(),
            sp.GetRequiredService<WebhookCursorStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebhookDispatcher>>()
        ));
        return services;
    }
}
