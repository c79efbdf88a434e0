using System.Text;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Resilience;
using CutoverEngine.Aws.Route53;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Tests.Configuration;

public sealed class AwsConfigurationTests
{
    private const string Json = """
        {
          "Aws": {
            "ServiceUrl": "http://127.0.0.1:4566/",
            "Accounts": [
              { "Id": "111111111111", "Region": "eu-west-1", "AccessKeyId": "AKIDSANDBOX1", "SecretAccessKey": "s1" },
              { "Id": "222222222222", "Profile": "prod-mail" }
            ],
            "Resilience": {
              "Route53": { "PermitsPerSecond": 4.5 },
              "Retry": { "MaxRetryAttempts": 3 },
              "AttemptTimeout": "00:00:05"
            }
          }
        }
        """;

    private static IConfiguration Configuration(params (string Key, string Value)[] environment)
    {
        foreach (var (key, value) in environment)
            Environment.SetEnvironmentVariable(key, value);
        return new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json)))
            .AddEnvironmentVariables()
            .Build();
    }

    [Fact]
    public void Binds_accounts_endpoints_and_resilience_from_json_and_environment()
    {
        var config = Configuration(
            ("Aws__Resilience__CallBudget", "00:03:00"),
            ("Aws__Route53ServiceUrl", "http://127.0.0.1:9999/")
        );
        try
        {
            using var provider = new ServiceCollection().AddCutoverAws(config).BuildServiceProvider();
            var options = provider.GetRequiredService<IOptions<AwsOptions>>().Value;

            Assert.Equal(["111111111111", "222222222222"], options.Accounts.Select(a => a.Id));
            Assert.Equal("eu-west-1", options.GetAccount("111111111111").Region);
            Assert.Equal("us-east-1", options.GetAccount("222222222222").Region);
            Assert.Equal("prod-mail", options.GetAccount("222222222222").Profile);
            Assert.Equal(new Uri("http://127.0.0.1:9999/"), options.Route53Endpoint);
            Assert.Equal("http://127.0.0.1:4566/", options.Ec2EndpointOverride);
            Assert.Equal(4.5, options.Resilience.Route53.PermitsPerSecond);
            Assert.Equal(AwsResilienceDefaults.Route53Burst, options.Resilience.Route53.Burst);
            Assert.Equal(3, options.Resilience.Retry.MaxRetryAttempts);
            Assert.Equal(TimeSpan.FromSeconds(5), options.Resilience.AttemptTimeout);
            Assert.Equal(TimeSpan.FromMinutes(3), options.Resilience.CallBudget);
            Assert.Equal(
                AwsResilienceDefaults.Ec2DescribePermitsPerSecond,
                options.Resilience.Ec2Describe.PermitsPerSecond
            );
        }
        finally
        {
            Environment.SetEnvironmentVariable("Aws__Resilience__CallBudget", null);
            Environment.SetEnvironmentVariable("Aws__Route53ServiceUrl", null);
        }
    }

    [Fact]
    public void Resolves_every_gateway_from_dependency_injection()
    {
        using var provider = new ServiceCollection().AddCutoverAws(Configuration()).BuildServiceProvider();

        Assert.IsType<Route53Gateway>(provider.GetRequiredService<IRoute53Gateway>());
        Assert.Same(provider.GetRequiredService<IElasticIpGateway>(), provider.GetRequiredService<IByoipGateway>());
        var ec2Config = ((Ec2ClientFactory)provider.GetRequiredService<IEc2ClientFactory>()).ConfigFor(
            provider.GetRequiredService<IOptions<AwsOptions>>().Value.GetAccount("111111111111")
        );
        Assert.Equal(0, ec2Config.MaxErrorRetry);
        Assert.True(ec2Config.IgnoreConfiguredEndpointUrls);
        Assert.Equal("http://127.0.0.1:4566/", ec2Config.ServiceURL);
        Assert.Equal("eu-west-1", ec2Config.AuthenticationRegion);
    }

    [Fact]
    public void Invalid_configuration_names_every_problem()
    {
        var options = new AwsOptions
        {
            ServiceUrl = "not a url",
            Accounts =
            [
                new AwsAccountOptions { Id = "111111111111", AccessKeyId = "AKID" },
                new AwsAccountOptions { Id = "111111111111" },
            ],
        };
        options.Resilience.Route53.PermitsPerSecond = 0;

        var ex = Assert.Throws<AwsConfigurationException>(options.Validate);

        Assert.Contains("Aws:Accounts:0: AccessKeyId and SecretAccessKey must be given together", ex.Message);
        Assert.Contains("lists account '111111111111' 2 times", ex.Message);
        Assert.Contains("Aws:ServiceUrl 'not a url' is not an absolute URL", ex.Message);
        Assert.Contains("Aws:Resilience:Route53:PermitsPerSecond must be positive", ex.Message);
    }

    [Fact]
    public void Unknown_account_is_named_with_the_configured_ones()
    {
        var options = new AwsOptions { Accounts = [new AwsAccountOptions { Id = "111111111111" }] };

        var ex = Assert.Throws<AwsConfigurationException>(() => options.GetAccount("999999999999"));

        Assert.Contains("'999999999999' is not configured", ex.Message);
        Assert.Contains("111111111111", ex.Message);
    }

    [Fact]
    public void Static_keys_are_used_when_configured()
    {
        var credentials = new AwsCredentialsSource()
            .GetCredentials(
                new AwsAccountOptions
                {
                    Id = "1",
                    AccessKeyId = "AKIDX",
                    SecretAccessKey = "sx",
                }
            )
            .GetCredentials();

        Assert.Equal("AKIDX", credentials.AccessKey);
        Assert.Equal("sx", credentials.SecretKey);
    }

    [Fact]
    public void Missing_profile_is_a_clear_error()
    {
        var ex = Assert.Throws<AwsConfigurationException>(() =>
            new AwsCredentialsSource().GetCredentials(
                new AwsAccountOptions { Id = "222222222222", Profile = "no-such-profile-for-tests" }
            )
        );

        Assert.Contains("no-such-profile-for-tests", ex.Message);
        Assert.Contains("222222222222", ex.Message);
    }
}
