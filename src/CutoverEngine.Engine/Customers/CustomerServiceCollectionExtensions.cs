using CutoverEngine.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Customers;

public static class CustomerServiceCollectionExtensions
{
    /// <summary>The customer links and feeds, bound from <c>Customers</c>; needs the waves
    /// (<c>AddCutoverWaves</c>) and the journal.</summary>
    public static IServiceCollection AddCutoverCustomers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(
            configuration.GetSection(CustomerLinkOptions.SectionName).Get<CustomerLinkOptions>()
                ?? new CustomerLinkOptions()
        );
        services.AddSingleton(sp => new CustomerLinkStore(
            sp.GetRequiredService<IOptions<EngineOptions>>().Value.DatabasePath
        ));
        services.AddSingleton<CustomerLinks>();
        services.AddSingleton<CustomerFeed>();
        return services;
    }
}
