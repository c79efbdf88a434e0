namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// The PostgreSQL store's schema, as an ordered list of migrations. Never edit a shipped migration: append one. The
/// tables mirror the SQLite store's (<see cref="SqliteSchema"/>) column for column, with the same encodings (times as
/// UTC ticks, object values as type-named JSON), so the two providers share their row mapping and their tests.
/// </summary>
internal static class PostgresSchema
{
    public static readonly IReadOnlyList<PostgresMigration> Migrations =
    [
        new(
            1,
            "workflow instances, execution pointers, events, subscriptions, scheduled commands, errors",
            """
            CREATE TABLE workflow_instance (
                id             TEXT    NOT NULL PRIMARY KEY,
                definition_id  TEXT    NOT NULL,
                version        INTEGER NOT NULL,
                description    TEXT,
                reference      TEXT,
                status         INTEGER NOT NULL,
                next_execution BIGINT,
                data           TEXT,
                create_time    BIGINT  NOT NULL,
                complete_time  BIGINT
            );
            -- GetRunnableInstances reads only this partial index.
            CREATE INDEX ix_workflow_instance_runnable ON workflow_instance (next_execution)
                WHERE status = 0 AND next_execution IS NOT NULL;
            CREATE INDEX ix_workflow_instance_definition ON workflow_instance (definition_id, create_time);
            CREATE INDEX ix_workflow_instance_status ON workflow_instance (status, create_time);
            CREATE INDEX ix_workflow_instance_create_time ON workflow_instance (create_time);
            CREATE INDEX ix_workflow_instance_reference ON workflow_instance (reference) WHERE reference IS NOT NULL;

            -- One row per pointer so that an unchanged pointer is not rewritten on every persist.
            CREATE TABLE execution_pointer (
                workflow_id TEXT    NOT NULL REFERENCES workflow_instance (id) ON DELETE CASCADE,
                id          TEXT    NOT NULL,
                ordinal     INTEGER NOT NULL,
                step_id     INTEGER NOT NULL,
                step_name   TEXT,
                status      INTEGER NOT NULL,
                active      BOOLEAN NOT NULL,
                sleep_until BIGINT,
                event_name  TEXT,
                event_key   TEXT,
                body        TEXT    NOT NULL,
                PRIMARY KEY (workflow_id, id)
            );
            CREATE INDEX ix_execution_pointer_order ON execution_pointer (workflow_id, ordinal);

            CREATE TABLE workflow_event (
                id           TEXT    NOT NULL PRIMARY KEY,
                event_name   TEXT    NOT NULL,
                event_key    TEXT,
                event_data   TEXT,
                event_time   BIGINT  NOT NULL,
                is_processed BOOLEAN NOT NULL
            );
            CREATE INDEX ix_workflow_event_unprocessed ON workflow_event (event_time) WHERE NOT is_processed;
            CREATE INDEX ix_workflow_event_name_key ON workflow_event (event_name, event_key, event_time);

            CREATE TABLE event_subscription (
                id                    TEXT    NOT NULL PRIMARY KEY,
                workflow_id           TEXT    NOT NULL,
                step_id               INTEGER NOT NULL,
                execution_pointer_id  TEXT,
                event_name            TEXT    NOT NULL,
                event_key             TEXT,
                subscribe_as_of       BIGINT  NOT NULL,
                subscription_data     TEXT,
                external_token        TEXT,
                external_worker_id    TEXT,
                external_token_expiry BIGINT
            );
            CREATE INDEX ix_event_subscription_name_key ON event_subscription (event_name, event_key, subscribe_as_of);
            CREATE INDEX ix_event_subscription_workflow ON event_subscription (workflow_id);

            -- (command_name, data) is unique: scheduling the same command twice keeps one row, at the earliest time.
            CREATE TABLE scheduled_command (
                id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                command_name TEXT    NOT NULL,
                data         TEXT    NOT NULL,
                execute_time BIGINT  NOT NULL,
                UNIQUE (command_name, data)
            );
            CREATE INDEX ix_scheduled_command_due ON scheduled_command (execute_time);

            CREATE TABLE execution_error (
                id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                workflow_id          TEXT   NOT NULL,
                execution_pointer_id TEXT,
                error_time           BIGINT NOT NULL,
                message              TEXT
            );
            CREATE INDEX ix_execution_error_workflow ON execution_error (workflow_id, error_time);
            """
        ),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
