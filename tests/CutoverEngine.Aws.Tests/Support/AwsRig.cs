using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Resilience;
using CutoverEngine.Aws.Route53;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace CutoverEngine.Aws.Tests.Support;

/// <summary>The gateways wired as in production, over a given HTTP handler and endpoint, with fast test
/// timings.</summary>
public sealed class AwsRig : IDisposable
{
    public const string Account = "111111111111";
    public const string AccessKey = "AKIDTEST111111111111";
    public const string Secret = "secret/111111111111+key";

    public AwsRig(
        HttpMessageHandler handler,
        Uri? endpoint = null,
        Action<AwsOptions>? configure = null,
        IEnumerable<AwsAccountOptions>? accounts = null,
        bool realQuotas = false
    )
    {
        Options = new AwsOptions
        {
            ServiceUrl = (endpoint ?? new Uri("http://127.0.0.1:1/")).ToString(),
            Accounts =
                accounts?.ToList()
                ??
                [
                    new AwsAccountOptions
                    {
                        Id = Account,
                        AccessKeyId = AccessKey,
                        SecretAccessKey = Secret,
                    },
                ],
        };
        // Fast defaults for tests; each test overrides what it is about.
        Options.Resilience.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        Options.Resilience.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        Options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(5);
        Options.Resilience.CallBudget = TimeSpan.FromSeconds(60);
        foreach (var budget in Enum.GetValues<AwsBudget>().Where(_ => !realQuotas))
        {
            Options.Resilience.For(budget).PermitsPerSecond = 10_000;
            Options.Resilience.For(budget).Burst = 10_000;
        }
        configure?.Invoke(Options);
        Options.Validate();

        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(LogEvents).CreateLogger();
        // Through Microsoft.Extensions.Logging into Serilog, as the CLI hosts wire it.
        Feed = new AwsAttemptFeed(new SerilogLoggerFactory(logger).CreateLogger<AwsAttemptFeed>());
        Feed.Subscribe(Sink);
        Pipelines = new AwsPipelineRegistry(options);
        Runner = new AwsCallRunner(Pipelines, Feed);
        Credentials = new AwsCredentialsSource(options, TimeProvider.System);
        var http = new StubHttpClientFactory(handler);
        Route53 = new Route53Gateway(http, options, Credentials, Runner);
        Ec2Clients = new Ec2ClientFactory(options, Credentials, http);
        Ec2 = new Ec2Gateway(Ec2Clients, Runner);
    }

    public AwsOptions Options { get; }
    public CollectingSink Sink { get; } = new();
    public LogCollector LogEvents { get; } = new();
    public AwsAttemptFeed Feed { get; }
    public AwsPipelineRegistry Pipelines { get; }
    public AwsCallRunner Runner { get; }
    public AwsCredentialsSource Credentials { get; }
    public Route53Gateway Route53 { get; }
    public Ec2ClientFactory Ec2Clients { get; }
    public Ec2Gateway Ec2 { get; }

    public IReadOnlyList<AwsAttempt> AttemptsOf(string operation) =>
        Sink.Attempts.Where(a => a.Operation == operation).ToList();

    public void Dispose()
    {
        Ec2Clients.Dispose();
        Credentials.Dispose();
        Pipelines.Dispose();
    }
}

public sealed class LogCollector : ILogEventSink
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<LogEvent> _events = new();
    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
