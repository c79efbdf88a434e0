using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Persistence;

/// <summary>How every store on the engine's SQLite file connects to it (journal, waves, customer links).</summary>
public static class SqliteFiles
{
    /// <summary>
    /// The connection string of <paramref name="databasePath"/>, its directory created: pooled connections (a store
    /// opens one per operation) and a 30 s busy wait, since the stores share the file with WorkflowCore's writer.
    /// </summary>
    public static string ConnectionString(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}
