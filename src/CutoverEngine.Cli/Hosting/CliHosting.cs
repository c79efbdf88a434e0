using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CutoverEngine.Cli.Hosting;

/// <summary>Configuration and logging shared by the commands that host the engine.</summary>
public static class CliHosting
{
    /// <summary>
    /// Settings, lowest first: appsettings.json in the current directory, the file given by --config,
    /// environment variables prefixed CUTOVER_ (sections joined by a double underscore, e.g.
    /// CUTOVER_Engine__DatabasePath),
    /// then the command's own overrides.
    /// </summary>
    public static IConfiguration Configuration(FileInfo? configFile, IDictionary<string, string?>? overrides = null)
    {
        var defaults = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        var builder = new ConfigurationBuilder().AddJsonFile(defaults, optional: true);
        if (configFile is not null)
        {
            if (!configFile.Exists)
                throw new CliInputException($"--config: {configFile.FullName} does not exist");
            builder.AddJsonFile(configFile.FullName, optional: false);
        }
        builder.AddEnvironmentVariables("CUTOVER_");
        if (overrides is not null)
            builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            // The JSON provider says which file and, in its inner exception, the line and position.
            var where = configFile?.FullName ?? defaults;
            throw new CliInputException(
                $"{(configFile is null ? "" : "--config: ")}{where}: the settings cannot be read: {e.Message}"
                    + (e.GetBaseException() is { } inner && inner != e ? " " + inner.Message : ""),
                e
            );
        }
    }

    /// <summary>Directory of the rolling JSON logs. Default ./logs (setting Logging:Directory).</summary>
    public static string LogDirectory(IConfiguration configuration) => configuration["Logging:Directory"] ?? "./logs";

    /// <summary>
    /// Serilog: warnings for people on stderr (progress owns stdout), everything as compact JSON in a daily
    /// rolling file. The libraries log through Microsoft.Extensions.Logging only; the step frame's scope (environment,
    /// workflow instance, step) becomes properties of every line logged inside it.
    /// </summary>
    public static Serilog.ILogger Logger(IConfiguration configuration)
    {
        var dir = LogDirectory(configuration);
        Directory.CreateDirectory(dir);
        return new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("WorkflowCore", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(
                restrictedToMinimumLevel: LogEventLevel.Warning,
                standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Environment} {Step} {Message:lj}{NewLine}{Exception}"
            )
            .WriteTo.File(
                new CompactJsonFormatter(),
                Path.Combine(dir, "cutover-.json"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 30,
                shared: true
            )
            .CreateLogger();
    }

    public static Action<ILoggingBuilder> Logging(Serilog.ILogger logger) =>
        b =>
        {
            b.ClearProviders();
            b.AddSerilog(logger, dispose: false);
        };
}
