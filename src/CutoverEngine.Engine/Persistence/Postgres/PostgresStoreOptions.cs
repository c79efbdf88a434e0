using Npgsql;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// Settings of the PostgreSQL store (section <c>Engine:Postgres</c>), shared by every engine node of a fleet. Plain
/// settable properties, so the class binds from configuration; the connection string usually comes from the
/// environment (<c>Engine__Postgres__ConnectionString</c>).
/// </summary>
public sealed class PostgresStoreOptions
{
    public const string SectionName = "Postgres";

    /// <summary>
    /// Npgsql connection string of the database the nodes share (e.g.
    /// <c>Host=db.internal;Port=5432;Database=cutover;Username=cutover;Password=...</c>). No default: required when
    /// <c>Engine:Store</c> is <c>postgres</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a node whose lock connection went silent (its host died, a cable was cut) keeps its workflow locks,
    /// as the server sees it: TCP keep-alive probes start after this much silence on the lock connections, so the
    /// server drops a dead node's connection, and with it its locks, within about twice this. A node that merely
    /// crashed loses its locks at once (its OS closes the connections). Default 10 s.
    /// </summary>
    public TimeSpan LockKeepAlive { get; set; } = DefaultLockKeepAlive;

    public static readonly TimeSpan DefaultLockKeepAlive = TimeSpan.FromSeconds(10);

    /// <summary>Problems with these settings, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Problems(string section)
    {
        var key = $"{section}:{nameof(ConnectionString)}";
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield return $"{key} is empty: the postgres store needs the connection string of the database the nodes "
                + "share (e.g. Host=db;Database=cutover;Username=cutover;Password=...; usually from the environment as "
                + "Engine__Postgres__ConnectionString)";
        else if (ParseProblem(ConnectionString) is { } problem)
            yield return $"{key} is not an Npgsql connection string: {problem}";
        if (LockKeepAlive < TimeSpan.FromSeconds(1) || LockKeepAlive > TimeSpan.FromHours(1))
            yield return $"{section}:{nameof(LockKeepAlive)} {LockKeepAlive} must be between 1 second and 1 hour";
    }

    /// <summary>The database and server named by the connection string, without its password: for messages.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}";
    }

    internal PostgresStoreOptions Validated(string section = "Engine:Postgres")
    {
        var problems = Problems(section).ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems));
        return new PostgresStoreOptions { ConnectionString = ConnectionString, LockKeepAlive = LockKeepAlive };
    }

    static string? ParseProblem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.Host) ? "it names no Host" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
