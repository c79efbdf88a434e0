using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// Opens an existing journal file for the auditing tools (verify, prune, history). Unlike <see cref="SqliteJournal"/>
/// it never creates the file or the table: an auditor who mistypes a path must hear so, not get an empty journal.
/// </summary>
internal static class JournalDatabase
{
    public const string Columns =
        "seq, at, actor, event, wave, environment, instance, definition_id, definition_version, definition_hash, step, payload, payload_hash, prev_hash, hash";

    public static SqliteConnection Open(string databasePath, bool forWriting)
    {
        var full = Path.GetFullPath(databasePath);
        if (!File.Exists(full))
            throw new JournalUnavailableException($"No journal database at '{full}': the file does not exist.");
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder
            {
                DataSource = full,
                // ReadWrite (not ReadWriteCreate) even for readers: a WAL database may need its -shm file created.
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = 30,
            }.ToString()
        );
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = forWriting
                ? "PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL;"
                : "PRAGMA busy_timeout=10000;";
            pragma.ExecuteNonQuery();
            using var table = connection.CreateCommand();
            table.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
            if (Convert.ToInt64(table.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
                throw new JournalUnavailableException(
                    $"'{full}' has no journal table: it is not an engine database, or nothing was ever journaled in it."
                );
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new JournalUnavailableException($"'{full}' cannot be opened as a journal: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return connection;
    }

    /// <summary>A row as stored, the time kept as text so that the verifier can check it is in canonical
    /// form.</summary>
    public static StoredRow ReadRow(SqliteDataReader r) =>
        new(
            r.GetInt64(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            NullableString(r, 4),
            NullableString(r, 5),
            NullableString(r, 6),
            NullableString(r, 7),
            r.IsDBNull(8) ? null : r.GetInt64(8),
            NullableString(r, 9),
            NullableString(r, 10),
            NullableString(r, 11),
            r.GetString(12),
            r.GetString(13),
            r.GetString(14)
        );

    static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static bool TryParseTime(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out at
        );
}
