using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Resilience;
using CutoverEngine.Aws.Route53;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws;

/// <summary>Wires the AWS gateways into dependency injection.</summary>
public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Route 53 and EC2 gateways, bound from the <c>Aws</c> section of <paramref name="configuration"/>
    /// (appsettings.json, environment variables such as <c>Aws__ServiceUrl</c>). Invalid configuration fails at start
    /// with every problem named. Attempts go to the host's logging (Serilog, where the host configured
    /// it) and to <see cref="AwsAttemptFeed"/>, which the audit journal subscribes to.
    /// </summary>
    public static IServiceCollection AddCutoverAws(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AwsOptions>().Bind(configuration.GetSection(AwsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Polly owns timeouts per attempt and per call; HttpClient's own 100 s timeout would only confuse them.
        services.AddHttpClient(Route53Gateway.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(Ec2ClientFactory.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);

        services.TryAddSingleton<IAwsCredentialsSource>(sp => new AwsCredentialsSource(
            sp.GetRequiredService<IOptions<AwsOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()
        ));
        services.TryAddSingleton<Identity.IAwsCallerIdentity, Identity.StsCallerIdentity>();
        services.TryAddSingleton(sp => new AwsAttemptFeed(sp.GetService<ILogger<AwsAttemptFeed>>()));
        services.TryAddSingleton<IAwsAttemptSink>(sp => sp.GetRequiredService<AwsAttemptFeed>());
        services.TryAddSingleton(sp => new AwsPipelineRegistry(
            sp.GetRequiredService<IOptions<AwsOptions>>(),
            sp.GetRequiredService<TimeProvider>()
        ));
        services.TryAddSingleton(sp => new AwsCallRunner(
            sp.GetRequiredService<AwsPipelineRegistry>(),
            sp.GetRequiredService<IAwsAttemptSink>(),
            sp.GetRequiredService<TimeProvider>()
        ));

        services.TryAddSingleton<IRoute53Gateway>(sp => new Route53Gateway(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<AwsOptions>>(),
            sp.GetRequiredService<IAwsCredentialsSource>(),
            sp.GetRequiredService<AwsCallRunner>(),
            sp.GetRequiredService<TimeProvider>()
        ));
        services.TryAddSingleton<Route53.Zones.IHostedZoneRecords>(sp => new Route53.Zones.HostedZoneRecords(
            sp.GetRequiredService<IRoute53Gateway>(),
            sp.GetRequiredService<IOptions<AwsOptions>>(),
            sp.GetRequiredService<TimeProvider>()
        ));
        services.TryAddSingleton<Route53.Zones.IZoneChangeBatcher>(sp => new Route53.Zones.ZoneChangeBatcher(
            sp.GetRequiredService<IRoute53Gateway>(),
            sp.GetRequiredService<Route53.Zones.IHostedZoneRecords>(),
            sp.GetRequiredService<AwsCallRunner>(),
            sp.GetRequiredService<IOptions<AwsOptions>>(),
            sp.GetRequiredService<TimeProvider>()
        ));
        services.TryAddSingleton<IEc2ClientFactory, Ec2ClientFactory>();
        services.TryAddSingleton<Ec2Gateway>();
        services.TryAddSingleton<IElasticIpGateway>(sp => sp.GetRequiredService<Ec2Gateway>());
        services.TryAddSingleton<IByoipGateway>(sp => sp.GetRequiredService<Ec2Gateway>());
        services.TryAddSingleton<IEc2DryRun>(sp => sp.GetRequiredService<Ec2Gateway>());
        return services;
    }

    private sealed class AwsOptionsValidator : IValidateOptions<AwsOptions>
    {
        public ValidateOptionsResult Validate(string? name, AwsOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (AwsConfigurationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
