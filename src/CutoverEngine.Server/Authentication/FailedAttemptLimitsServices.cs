using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CutoverEngine.Server.Authentication;

public static class FailedAttemptLimitsServices
{
    /// <summary>Binds and checks Serve:Limits and registers the one <see cref="FailedAttemptLimiter"/> of the
    /// host.</summary>
    /// <exception cref="InvalidOperationException">A Serve:Limits value is unusable.</exception>
    public static IServiceCollection AddFailedAttemptLimits(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        var options = (
            configuration.GetSection(FailedAttemptLimitsOptions.SectionName).Get<FailedAttemptLimitsOptions>()
            ?? new FailedAttemptLimitsOptions()
        ).Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new FailedAttemptLimiter(options, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
