using System.Collections.Concurrent;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Tests.Persistence;

/// <summary>A database file in a fresh temp directory, removed afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(
            System.IO.Path.GetTempPath(),
            "cutover-persistence-tests",
            Guid.NewGuid().ToString("N")
        );
        // Not created: the provider must create it.
        Path = System.IO.Path.Combine(Directory, "nested", "cutover.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public SqlitePersistenceProvider NewProvider(TimeProvider? time = null)
    {
        var provider = new SqlitePersistenceProvider(
            new SqliteStoreOptions { DatabasePath = Path },
            timeProvider: time
        );
        provider.EnsureStoreExists();
        return provider;
    }

    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString()
        );
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A background poller of a stopped host may still hold the file for a moment; the OS temp dir is cleaned
            // anyway.
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Keeps warnings and errors that WorkflowCore logs (it swallows exceptions thrown by its store in its
/// pollers).</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Problems { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose() { }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            if (IsEnabled(logLevel))
                owner.Problems.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
