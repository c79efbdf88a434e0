using Microsoft.Data.Sqlite;
using WorkflowCore.Exceptions;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence;

public sealed partial class SqlitePersistenceProvider
{
    private const string InstanceColumns =
        "id, definition_id, version, description, reference, status, next_execution, data, create_time, complete_time";

    /// <summary>Stores a new instance with its pointers. Keeps a caller-chosen Id; assigns a new GUID when it is
    /// empty.</summary>
    public Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrEmpty(workflow.Id))
            workflow.Id = Guid.NewGuid().ToString();

        return _store.WriteAsync(
            async (connection, tx) =>
            {
                await using (
                    var insert = connection.Command(
                        tx,
                        $"""
                        INSERT INTO workflow_instance ({InstanceColumns})
                        VALUES ($id, $definition_id, $version, $description, $reference, $status, $next_execution, $data, $create_time, $complete_time)
                        """
                    )
                )
                {
                    BindInstance(insert, workflow);
                    try
                    {
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException ex)
                        when (ex.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */
                        )
                    {
                        throw new InvalidOperationException(
                            $"Workflow instance '{workflow.Id}' already exists in '{DatabasePath}'; choose another id or persist the existing one.",
                            ex
                        );
                    }
                }

                await WritePointers(connection, tx, workflow, cancellationToken).ConfigureAwait(false);
                return workflow.Id;
            },
            cancellationToken
        );
    }

    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        PersistWorkflow(workflow, subscriptions: null, cancellationToken);

    /// <summary>
    /// Saves the instance, its pointers and the subscriptions its steps opened, in one transaction: a crash leaves
    /// either the state before the step or the state after it with its subscriptions, never a mix.
    /// </summary>
    public Task PersistWorkflow(
        WorkflowInstance workflow,
        List<EventSubscription>? subscriptions,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrEmpty(workflow.Id))
            throw new ArgumentException(
                "PersistWorkflow needs an instance that has an Id (create it with CreateNewWorkflow first).",
                nameof(workflow)
            );

        return _store.WriteAsync(
            async (connection, tx) =>
            {
                await using (
                    var update = connection.Command(
                        tx,
                        """
                        UPDATE workflow_instance SET
                            definition_id = $definition_id, version = $version, description = $description, reference = $reference,
                            status = $status, next_execution = $next_execution, data = $data, create_time = $create_time,
                            complete_time = $complete_time
                        WHERE id = $id
                        """
                    )
                )
                {
                    BindInstance(update, workflow);
                    if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                        throw new NotFoundException(
                            $"Workflow instance '{workflow.Id}' is not in '{DatabasePath}'; it cannot be persisted before it is created."
                        );
                }

                await WritePointers(connection, tx, workflow, cancellationToken).ConfigureAwait(false);

                foreach (var subscription in subscriptions ?? [])
                    await InsertSubscription(connection, tx, subscription, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );
    }

    /// <summary>Ids of runnable instances whose NextExecution is at or before <paramref name="asAt"/>, soonest
    /// first.</summary>
    public Task<IEnumerable<string>> GetRunnableInstances(
        DateTime asAt,
        CancellationToken cancellationToken = default
    ) =>
        _store.ReadAsync<IEnumerable<string>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        """
                        SELECT id FROM workflow_instance
                        WHERE status = 0 AND next_execution IS NOT NULL AND next_execution <= $now
                        ORDER BY next_execution
                        """
                    )
                    .With("$now", UtcTicks.From(asAt));
                return await ReadStrings(query, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    /// <summary>Throws <see cref="NotFoundException"/> when the id is unknown.</summary>
    public Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(Id);
        return _store.ReadAsync(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(tx, $"SELECT {InstanceColumns} FROM workflow_instance WHERE id = $id")
                    .With("$id", Id);
                var found = await ReadInstances(connection, tx, query, cancellationToken).ConfigureAwait(false);
                return found.Count == 1
                    ? found[0]
                    : throw new NotFoundException($"Workflow instance '{Id}' is not in '{DatabasePath}'.");
            },
            cancellationToken
        );
    }

    /// <summary>The instances among <paramref name="ids"/> that exist; unknown ids are skipped.</summary>
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(
        IEnumerable<string> ids,
        CancellationToken cancellationToken = default
    )
    {
        var wanted = (ids ?? []).Where(id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
            return Task.FromResult<IEnumerable<WorkflowInstance>>([]);

        return _store.ReadAsync<IEnumerable<WorkflowInstance>>(
            async (connection, tx) =>
            {
                var result = new List<WorkflowInstance>(wanted.Count);
                foreach (var chunk in wanted.Chunk(500))
                {
                    var names = chunk.Select((_, i) => "$id" + i).ToList();
                    await using var query = connection.Command(
                        tx,
                        $"SELECT {InstanceColumns} FROM workflow_instance WHERE id IN ({string.Join(", ", names)})"
                    );
                    for (var i = 0; i < chunk.Length; i++)
                        query.With(names[i], chunk[i]);
                    result.AddRange(
                        await ReadInstances(connection, tx, query, cancellationToken).ConfigureAwait(false)
                    );
                }
                return result;
            },
            cancellationToken
        );
    }

    /// <summary>
    /// Filtered page of instances, oldest first (create time, then id, so pages are stable). Null filters are ignored;
    /// <paramref name="createdFrom"/> and <paramref name="createdTo"/> are inclusive.
    /// </summary>
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(
        WorkflowStatus? status,
        string type,
        DateTime? createdFrom,
        DateTime? createdTo,
        int skip,
        int take
    )
    {
        if (skip < 0)
            throw new ArgumentOutOfRangeException(nameof(skip), skip, "skip must not be negative.");
        if (take < 0)
            throw new ArgumentOutOfRangeException(nameof(take), take, "take must not be negative.");

        return _store.ReadAsync<IEnumerable<WorkflowInstance>>(
            async (connection, tx) =>
            {
                var where = new List<string>();
                await using var query = connection.Command(tx, "");
                if (status.HasValue)
                {
                    where.Add("status = $status");
                    query.With("$status", (int)status.Value);
                }
                if (!string.IsNullOrEmpty(type))
                {
                    where.Add("definition_id = $type");
                    query.With("$type", type);
                }
                if (createdFrom.HasValue)
                {
                    where.Add("create_time >= $from");
                    query.With("$from", UtcTicks.From(createdFrom.Value));
                }
                if (createdTo.HasValue)
                {
                    where.Add("create_time <= $to");
                    query.With("$to", UtcTicks.From(createdTo.Value));
                }
                query.CommandText =
                    $"SELECT {InstanceColumns} FROM workflow_instance"
                    + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                    + " ORDER BY create_time, id LIMIT $take OFFSET $skip";
                query.With("$take", take).With("$skip", skip);
                return await ReadInstances(connection, tx, query, CancellationToken.None).ConfigureAwait(false);
            },
            CancellationToken.None
        );
    }

    private static void BindInstance(SqliteCommand cmd, WorkflowInstance workflow) =>
        cmd.With("$id", workflow.Id)
            .With(
                "$definition_id",
                workflow.WorkflowDefinitionId
                    ?? throw new ArgumentException($"Workflow instance '{workflow.Id}' has no WorkflowDefinitionId.")
            )
            .With("$version", workflow.Version)
            .With("$description", workflow.Description)
            .With("$reference", workflow.Reference)
            .With("$status", (int)workflow.Status)
            .With("$next_execution", workflow.NextExecution)
            .With("$data", PersistenceJson.Serialize(workflow.Data))
            .With("$create_time", UtcTicks.From(workflow.CreateTime))
            .With("$complete_time", UtcTicks.From(workflow.CompleteTime));

    /// <summary>
    /// Upserts every pointer, rewriting a row only when its content changed (finished pointers, the bulk of a long
    /// workflow, cost a comparison instead of a page write), and deletes rows of pointers no longer in the instance.
    /// </summary>
    private static async Task WritePointers(
        SqliteConnection connection,
        SqliteTransaction tx,
        WorkflowInstance workflow,
        CancellationToken cancellationToken
    )
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (
            var existing = connection
                .Command(tx, "SELECT id FROM execution_pointer WHERE workflow_id = $w")
                .With("$w", workflow.Id)
        )
        {
            foreach (var id in await ReadStrings(existing, cancellationToken).ConfigureAwait(false))
                stored.Add(id);
        }

        await using var upsert = connection.Command(
            tx,
            """
            INSERT INTO execution_pointer (workflow_id, id, ordinal, step_id, step_name, status, active, sleep_until, event_name, event_key, body)
            VALUES ($w, $id, $ordinal, $step_id, $step_name, $status, $active, $sleep_until, $event_name, $event_key, $body)
            ON CONFLICT (workflow_id, id) DO UPDATE SET
                ordinal = excluded.ordinal, step_id = excluded.step_id, step_name = excluded.step_name,
                status = excluded.status, active = excluded.active, sleep_until = excluded.sleep_until,
                event_name = excluded.event_name, event_key = excluded.event_key, body = excluded.body
            WHERE execution_pointer.body IS NOT excluded.body OR execution_pointer.ordinal IS NOT excluded.ordinal
            """
        );
        var pW = upsert.Parameters.Add("$w", SqliteType.Text);
        var pId = upsert.Parameters.Add("$id", SqliteType.Text);
        var pOrdinal = upsert.Parameters.Add("$ordinal", SqliteType.Integer);
        var pStep = upsert.Parameters.Add("$step_id", SqliteType.Integer);
        var pStepName = upsert.Parameters.Add("$step_name", SqliteType.Text);
        var pStatus = upsert.Parameters.Add("$status", SqliteType.Integer);
        var pActive = upsert.Parameters.Add("$active", SqliteType.Integer);
        var pSleep = upsert.Parameters.Add("$sleep_until", SqliteType.Integer);
        var pEventName = upsert.Parameters.Add("$event_name", SqliteType.Text);
        var pEventKey = upsert.Parameters.Add("$event_key", SqliteType.Text);
        var pBody = upsert.Parameters.Add("$body", SqliteType.Text);
        pW.Value = workflow.Id;

        var ordinal = 0;
        foreach (var pointer in workflow.ExecutionPointers)
        {
            // ExecutionPointerCollection cannot hold a pointer without an id, so this never trips in practice.
            if (string.IsNullOrEmpty(pointer.Id))
                throw new ArgumentException(
                    $"Workflow instance '{workflow.Id}' has an execution pointer without an Id (step {pointer.StepId})."
                );
            stored.Remove(pointer.Id);

            pId.Value = pointer.Id;
            pOrdinal.Value = ordinal++;
            pStep.Value = pointer.StepId;
            pStepName.Value = (object?)pointer.StepName ?? DBNull.Value;
            pStatus.Value = (int)pointer.Status;
            pActive.Value = pointer.Active ? 1 : 0;
            pSleep.Value = (object?)UtcTicks.From(pointer.SleepUntil) ?? DBNull.Value;
            pEventName.Value = (object?)pointer.EventName ?? DBNull.Value;
            pEventKey.Value = (object?)pointer.EventKey ?? DBNull.Value;
            pBody.Value = PersistenceJson.SerializePointer(pointer);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (stored.Count > 0)
        {
            await using var delete = connection
                .Command(tx, "DELETE FROM execution_pointer WHERE workflow_id = $w AND id = $id")
                .With("$w", workflow.Id);
            var pDeleteId = delete.Parameters.Add("$id", SqliteType.Text);
            foreach (var gone in stored)
            {
                pDeleteId.Value = gone;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<WorkflowInstance>> ReadInstances(
        SqliteConnection connection,
        SqliteTransaction tx,
        SqliteCommand query,
        CancellationToken cancellationToken
    )
    {
        var instances = new List<WorkflowInstance>();
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                instances.Add(
                    new WorkflowInstance
                    {
                        Id = id,
                        WorkflowDefinitionId = reader.GetString(1),
                        Version = reader.GetInt32(2),
                        Description = reader.GetNullableString(3),
                        Reference = reader.GetNullableString(4),
                        Status = (WorkflowStatus)reader.GetInt32(5),
                        NextExecution = reader.GetNullableInt64(6),
                        Data = PersistenceJson.Deserialize(
                            reader.GetNullableString(7),
                            $"Workflow instance '{id}' in '{DatabasePath}': data"
                        ),
                        CreateTime = UtcTicks.ToDateTime(reader.GetInt64(8)),
                        CompleteTime = UtcTicks.ToDateTime(reader.GetNullableInt64(9)),
                    }
                );
            }
        }

        if (instances.Count == 0)
            return instances;

        await using var pointers = connection.Command(
            tx,
            "SELECT id, body FROM execution_pointer WHERE workflow_id = $w ORDER BY ordinal"
        );
        var pW = pointers.Parameters.Add("$w", SqliteType.Text);
        foreach (var instance in instances)
        {
            pW.Value = instance.Id;
            var list = new List<ExecutionPointer>();
            await using var reader = await pointers.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                list.Add(
                    PersistenceJson.DeserializePointer(
                        reader.GetString(1),
                        $"Execution pointer '{reader.GetString(0)}' of workflow instance '{instance.Id}' in '{DatabasePath}'"
                    )
                );
            instance.ExecutionPointers = new ExecutionPointerCollection(list);
        }

        return instances;
    }

    private static async Task<List<string>> ReadStrings(SqliteCommand query, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            result.Add(reader.GetString(0));
        return result;
    }
}
