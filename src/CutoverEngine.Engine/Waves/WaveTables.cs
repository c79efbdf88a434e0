using System.Globalization;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The wave tables in the engine's SQLite file (on PostgreSQL they are schema migration 2 of
/// <see cref="Persistence.Postgres.PostgresSchema"/>), with the upgrade of files from older engines.
/// </summary>
internal static class WaveTables
{
    /// <summary>The tables' DDL, run once per store instance: per instance, not static, as each store may sit on
    /// another file.</summary>
    public static StoreTables NewOnSqlite() =>
        new(
            """
            CREATE TABLE IF NOT EXISTS waves (
                id TEXT PRIMARY KEY, state TEXT NOT NULL, planned_start TEXT NOT NULL, scheduled_for TEXT NULL,
                parallel INTEGER NOT NULL, order_kind TEXT NOT NULL, state_reason TEXT NULL,
                created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS wave_environments (
                wave_id TEXT NOT NULL REFERENCES waves(id), position INTEGER NOT NULL, environment_id TEXT NOT NULL,
                PRIMARY KEY (wave_id, environment_id));
            CREATE TABLE IF NOT EXISTS notices (
                id INTEGER PRIMARY KEY AUTOINCREMENT, wave_id TEXT NOT NULL, environment_id TEXT NOT NULL, customer TEXT NOT NULL,
                notified_at TEXT NOT NULL, actor TEXT NOT NULL, file TEXT NULL, sent INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS notices_environment ON notices(environment_id, notified_at);
            CREATE TABLE IF NOT EXISTS overrides (
                id INTEGER PRIMARY KEY AUTOINCREMENT, wave_id TEXT NOT NULL, operation TEXT NOT NULL, at TEXT NOT NULL,
                actor TEXT NOT NULL, reason TEXT NOT NULL, violations TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS reminders (
                wave_id TEXT NOT NULL, environment_id TEXT NOT NULL, scheduled_for TEXT NOT NULL, claimed_at TEXT NOT NULL,
                sent_at TEXT NULL, PRIMARY KEY (wave_id, environment_id, scheduled_for));
            CREATE TABLE IF NOT EXISTS invitation_cancels (
                wave_id TEXT NOT NULL, environment_id TEXT NOT NULL, sequence INTEGER NOT NULL, reason TEXT NOT NULL,
                requested_at TEXT NOT NULL, sent_at TEXT NULL, PRIMARY KEY (wave_id, environment_id, sequence));
            CREATE TABLE IF NOT EXISTS wave_cutovers (
                wave_id TEXT NOT NULL, environment_id TEXT NOT NULL, instance_id TEXT NOT NULL, outcome TEXT NULL,
                PRIMARY KEY (wave_id, environment_id));
            CREATE TABLE IF NOT EXISTS wave_approvals (
                id INTEGER PRIMARY KEY AUTOINCREMENT, wave_id TEXT NOT NULL, approver TEXT NOT NULL, person TEXT NOT NULL,
                reason TEXT NOT NULL, at TEXT NOT NULL, terms TEXT NOT NULL,
                revoked_at TEXT NULL, revoked_by TEXT NULL, revoke_reason TEXT NULL);
            CREATE INDEX IF NOT EXISTS wave_approvals_wave ON wave_approvals(wave_id);
            CREATE TABLE IF NOT EXISTS wave_freeze_overrides (
                wave_id TEXT NOT NULL, freeze TEXT NOT NULL, terms TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
                reason TEXT NOT NULL, PRIMARY KEY (wave_id, freeze, terms));
            """,
            AddReminderSentAt
        );

    /// <summary>
    /// A file from an engine that claimed reminders without marking them sent: its claims count as sent, as that
    /// engine sent right after claiming and never again.
    /// </summary>
    static void AddReminderSentAt(SqliteConnection c)
    {
        using (var columns = c.CreateCommand())
        {
            columns.CommandText = "SELECT count(*) FROM pragma_table_info('reminders') WHERE name = 'sent_at'";
            if (Convert.ToInt64(columns.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                return;
        }
        using var alter = c.CreateCommand();
        alter.CommandText =
            "ALTER TABLE reminders ADD COLUMN sent_at TEXT NULL; UPDATE reminders SET sent_at = claimed_at;";
        alter.ExecuteNonQuery();
    }
}
