using Microsoft.Extensions.Logging;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence.Postgres;

public sealed partial class PostgresPersistenceProvider
{
    /// <summary>True: WorkflowCore then keeps its timers (Delay, Schedule, retries) in this database, so they survive a
    /// restart.</summary>
    public bool SupportsScheduledCommands => true;

    /// <summary>
    /// Stores a command to run at <see cref="ScheduledCommand.ExecuteTime"/> (UTC ticks). Idempotent: a command with
    /// the same name and data is kept once, at the earlier of the two times (running a wake-up early is harmless to
    /// WorkflowCore, running it late delays the workflow).
    /// </summary>
    public Task ScheduleCommand(ScheduledCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrEmpty(command.CommandName, $"{nameof(command)}.{nameof(command.CommandName)}");
        ArgumentNullException.ThrowIfNull(command.Data, $"{nameof(command)}.{nameof(command.Data)}");

        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using var upsert = connection
                    .Command(
                        tx,
                        """
                        INSERT INTO scheduled_command (command_name, data, execute_time) VALUES (@name, @data, @time)
                        ON CONFLICT (command_name, data) DO UPDATE SET execute_time = LEAST(scheduled_command.execute_time, excluded.execute_time)
                        """
                    )
                    .With("name", command.CommandName)
                    .With("data", command.Data)
                    .With("time", command.ExecuteTime);
                await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
            },
            CancellationToken.None
        );
    }

    /// <summary>
    /// Runs every command due at or before <paramref name="asOf"/>, earliest first. Each command is claimed (deleted)
    /// in its own transaction before <paramref name="action"/> runs, so two pollers never run the same command and a
    /// re-schedule that arrives while it runs is kept as a new row. If the action throws, the command is scheduled
    /// again for the next poll and the others still run.
    /// </summary>
    public async Task ProcessCommands(
        DateTimeOffset asOf,
        Func<ScheduledCommand, Task> action,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(action);

        var due = await _store
            .RunAsync(
                async (connection, tx) =>
                {
                    await using var query = connection
                        .Command(
                            tx,
                            "SELECT id, command_name, data, execute_time FROM scheduled_command WHERE execute_time <= @asOf ORDER BY execute_time, id"
                        )
                        .With("asOf", asOf.UtcTicks);
                    var list = new List<(long Id, ScheduledCommand Command)>();
                    await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        list.Add(
                            (
                                reader.GetInt64(0),
                                new ScheduledCommand
                                {
                                    CommandName = reader.GetString(1),
                                    Data = reader.GetString(2),
                                    ExecuteTime = reader.GetInt64(3),
                                }
                            )
                        );
                    return list;
                },
                cancellationToken
            )
            .ConfigureAwait(false);

        foreach (var (id, command) in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var claimed = await _store
                .RunAsync(
                    async (connection, tx) =>
                    {
                        await using var delete = connection
                            .Command(tx, "DELETE FROM scheduled_command WHERE id = @id")
                            .With("id", id);
                        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (!claimed)
                continue;

            try
            {
                await action(command).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(
                    ex,
                    "Workflow store {Store}: scheduled command {CommandName} for {Data} failed; it will be retried on the next poll",
                    StoreDescription,
                    command.CommandName,
                    command.Data
                );
                await ScheduleCommand(command).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Appends the errors in one transaction; an empty list does not touch the database.</summary>
    public Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        var list = errors?.ToList() ?? [];
        if (list.Count == 0)
            return Task.CompletedTask;

        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using var insert = connection.Command(
                    tx,
                    """
                    INSERT INTO execution_error (workflow_id, execution_pointer_id, error_time, message) VALUES (@w, @p, @t, @m)
                    """
                );
                var pW = insert.Parameters.Add("w", NpgsqlTypes.NpgsqlDbType.Text);
                var pP = insert.Parameters.Add("p", NpgsqlTypes.NpgsqlDbType.Text);
                var pT = insert.Parameters.Add("t", NpgsqlTypes.NpgsqlDbType.Bigint);
                var pM = insert.Parameters.Add("m", NpgsqlTypes.NpgsqlDbType.Text);
                foreach (var error in list)
                {
                    pW.Value =
                        error.WorkflowId
                        ?? throw new ArgumentException("An execution error has no WorkflowId.", nameof(errors));
                    pP.Value = (object?)error.ExecutionPointerId ?? DBNull.Value;
                    pT.Value = UtcTicks.From(error.ErrorTime);
                    pM.Value = (object?)error.Message ?? DBNull.Value;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken
        );
    }

    /// <summary>Errors recorded for one workflow instance, oldest first (not part of WorkflowCore's
    /// interface).</summary>
    public Task<IReadOnlyList<ExecutionError>> GetExecutionErrors(
        string workflowId,
        CancellationToken cancellationToken = default
    ) =>
        _store.RunAsync<IReadOnlyList<ExecutionError>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        """
                        SELECT workflow_id, execution_pointer_id, error_time, message FROM execution_error
                        WHERE workflow_id = @w ORDER BY error_time, id
                        """
                    )
                    .With("w", workflowId);
                var result = new List<ExecutionError>();
                await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(
                        new ExecutionError
                        {
                            WorkflowId = reader.GetString(0),
                            ExecutionPointerId = reader.GetNullableString(1),
                            ErrorTime = UtcTicks.ToDateTime(reader.GetInt64(2)),
                            Message = reader.GetNullableString(3),
                        }
                    );
                }
                return result;
            },
            cancellationToken
        );

    /// <summary>
    /// Deletes Complete or Terminated instances that finished before <paramref name="olderThan"/>, with their
    /// pointers, subscriptions, errors and pending commands. Other statuses are refused: purging a live workflow
    /// would lose work.
    /// </summary>
    public Task PurgeWorkflows(WorkflowStatus status, DateTime olderThan, CancellationToken cancellationToken = default)
    {
        if (status is not (WorkflowStatus.Complete or WorkflowStatus.Terminated))
            throw new ArgumentOutOfRangeException(
                nameof(status),
                status,
                "Only Complete or Terminated workflows can be purged."
            );

        return _store.RunAsync(
            async (connection, tx) =>
            {
                const string Doomed =
                    "SELECT id FROM workflow_instance WHERE status = @s AND complete_time IS NOT NULL AND complete_time < @t";
                string[] statements =
                [
                    $"DELETE FROM execution_error WHERE workflow_id IN ({Doomed})",
                    $"DELETE FROM event_subscription WHERE workflow_id IN ({Doomed})",
                    $"DELETE FROM scheduled_command WHERE command_name = 'ProcessWorkflow' AND data IN ({Doomed})",
                    // Pointers go with their instance (ON DELETE CASCADE).
                    "DELETE FROM workflow_instance WHERE status = @s AND complete_time IS NOT NULL AND complete_time < @t",
                ];
                foreach (var sql in statements)
                {
                    await using var delete = connection
                        .Command(tx, sql)
                        .With("s", (int)status)
                        .With("t", UtcTicks.From(olderThan));
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken
        );
    }
}
