using CutoverEngine.Sending.SendingControl;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CutoverEngine.Sending;

public static class SendingServiceCollectionExtensions
{
    /// <summary>Sending control (section Sending:Control) and verification probes (section
    /// Sending:Verification).</summary>
    public static IServiceCollection AddCutoverSending(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SendingControlOptions>().Bind(configuration.GetSection("Sending:Control"));
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.SectionName));
        services.AddHttpClient(HttpSendingControl.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<ISendingControl, HttpSendingControl>();
        services.TryAddSingleton<DnsQueries>();
        services.TryAddSingleton<MtaChecks>();
        return services;
    }
}
