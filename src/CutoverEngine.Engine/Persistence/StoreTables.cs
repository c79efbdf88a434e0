using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// A store's tables on the engine's SQLite file, created (and upgraded) once per store instance, on its first
/// connection, under a lock: the stores open one pooled connection per operation and must not race the DDL.
/// </summary>
public sealed class StoreTables(string ddl, Action<SqliteConnection>? upgrade = null)
{
    readonly object _lock = new();
    volatile bool _ready;

    public void EnsureOn(SqliteConnection connection)
    {
        if (_ready)
            return;
        lock (_lock)
        {
            if (_ready)
                return;
            using var command = connection.CreateCommand();
            command.CommandText = ddl;
            command.ExecuteNonQuery();
            upgrade?.Invoke(connection);
            _ready = true;
        }
    }
}
