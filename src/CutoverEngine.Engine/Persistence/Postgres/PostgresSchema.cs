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
        new(
            2,
            "waves, their environments, notices, overrides, reminders, invitation cancels, cutovers, approvals",
            // The wave store's tables (WaveStore), column for column as on SQLite, times as ISO-8601 UTC text. Every
            // text column collates "C", byte order like SQLite's BINARY: lists come out in the same order on both
            // (ids, ISO times), whatever the database's default locale.
            """
            CREATE TABLE waves (
                id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
                state         TEXT COLLATE "C" NOT NULL,
                planned_start TEXT COLLATE "C" NOT NULL,
                scheduled_for TEXT COLLATE "C",
                parallel      INTEGER NOT NULL,
                order_kind    TEXT COLLATE "C" NOT NULL,
                state_reason  TEXT COLLATE "C",
                created_at    TEXT COLLATE "C" NOT NULL,
                created_by    TEXT COLLATE "C" NOT NULL,
                updated_at    TEXT COLLATE "C" NOT NULL
            );

            CREATE TABLE wave_environments (
                wave_id        TEXT COLLATE "C" NOT NULL REFERENCES waves (id),
                position       INTEGER NOT NULL,
                environment_id TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (wave_id, environment_id)
            );
            CREATE INDEX ix_wave_environments_environment ON wave_environments (environment_id);

            CREATE TABLE notices (
                id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                wave_id        TEXT COLLATE "C" NOT NULL,
                environment_id TEXT COLLATE "C" NOT NULL,
                customer       TEXT COLLATE "C" NOT NULL,
                notified_at    TEXT COLLATE "C" NOT NULL,
                actor          TEXT COLLATE "C" NOT NULL,
                file           TEXT COLLATE "C",
                sent           BOOLEAN NOT NULL
            );
            CREATE INDEX ix_notices_environment ON notices (environment_id, notified_at);

            CREATE TABLE overrides (
                id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                wave_id    TEXT COLLATE "C" NOT NULL,
                operation  TEXT COLLATE "C" NOT NULL,
                at         TEXT COLLATE "C" NOT NULL,
                actor      TEXT COLLATE "C" NOT NULL,
                reason     TEXT COLLATE "C" NOT NULL,
                violations TEXT COLLATE "C" NOT NULL
            );

            -- A row is the claim of one reminder: the primary key lets exactly one node insert it.
            CREATE TABLE reminders (
                wave_id        TEXT COLLATE "C" NOT NULL,
                environment_id TEXT COLLATE "C" NOT NULL,
                scheduled_for  TEXT COLLATE "C" NOT NULL,
                claimed_at     TEXT COLLATE "C" NOT NULL,
                sent_at        TEXT COLLATE "C",
                PRIMARY KEY (wave_id, environment_id, scheduled_for)
            );

            CREATE TABLE invitation_cancels (
                wave_id        TEXT COLLATE "C" NOT NULL,
                environment_id TEXT COLLATE "C" NOT NULL,
                sequence       INTEGER NOT NULL,
                reason         TEXT COLLATE "C" NOT NULL,
                requested_at   TEXT COLLATE "C" NOT NULL,
                sent_at        TEXT COLLATE "C",
                PRIMARY KEY (wave_id, environment_id, sequence)
            );

            -- rowid stands for SQLite's implicit one: the order in which (wave, environment) pairs were first recorded,
            -- kept by the upsert of an outcome (the latest cutover of an environment is the highest).
            CREATE TABLE wave_cutovers (
                rowid          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                wave_id        TEXT COLLATE "C" NOT NULL,
                environment_id TEXT COLLATE "C" NOT NULL,
                instance_id    TEXT COLLATE "C" NOT NULL,
                outcome        TEXT COLLATE "C",
                PRIMARY KEY (wave_id, environment_id)
            );

            CREATE TABLE wave_approvals (
                id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                wave_id       TEXT COLLATE "C" NOT NULL,
                approver      TEXT COLLATE "C" NOT NULL,
                person        TEXT COLLATE "C" NOT NULL,
                reason        TEXT COLLATE "C" NOT NULL,
                at            TEXT COLLATE "C" NOT NULL,
                terms         TEXT COLLATE "C" NOT NULL,
                revoked_at    TEXT COLLATE "C",
                revoked_by    TEXT COLLATE "C",
                revoke_reason TEXT COLLATE "C"
            );
            CREATE INDEX ix_wave_approvals_wave ON wave_approvals (wave_id);

            CREATE TABLE wave_freeze_overrides (
                wave_id TEXT COLLATE "C" NOT NULL,
                "freeze" TEXT COLLATE "C" NOT NULL, -- quoted: a reserved word
                terms   TEXT COLLATE "C" NOT NULL,
                at      TEXT COLLATE "C" NOT NULL,
                actor   TEXT COLLATE "C" NOT NULL,
                reason  TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (wave_id, "freeze", terms)
            );
            """
        ),
        new(
            3,
            "pause claims of the safety caps",
            // PauseClaimStore's table, as on SQLite: claimed_at in UTC ticks (the order of claims), production a
            // boolean. Owners are workflow instance ids; claims of owners no longer in flight are dropped by the
            // store, not by a foreign key, as a completed workflow's row may be purged.
            """
            CREATE TABLE pause_claims (
                owner          TEXT COLLATE "C" NOT NULL,
                environment_id TEXT COLLATE "C" NOT NULL,
                customer       TEXT COLLATE "C" NOT NULL,
                account_id     TEXT COLLATE "C" NOT NULL,
                production     BOOLEAN NOT NULL,
                claimed_at     BIGINT  NOT NULL,
                PRIMARY KEY (owner, environment_id)
            );
            """
        ),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
