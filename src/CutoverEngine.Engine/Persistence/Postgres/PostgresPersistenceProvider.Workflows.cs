using Npgsql;
using NpgsqlTypes;
using WorkflowCore.Exceptions;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence.Postgres;

public sealed partial class PostgresPersistenceProvider
{
    private const string InstanceColumns =
        "id, definition_id, version, description, reference, status, next_execution, data, create_time, complete_time";

    private const string UniqueViolation = "23505";

    /// <summary>Stores a new instance with its pointers. Keeps a caller-chosen Id; assigns a new GUID when it is
    /// empty.</summary>
    public Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (string.IsNullOrEmpty(workflow.Id))
            workflow.Id = Guid.NewGuid().ToString();

        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using (
                    var insert = connection.Command(
                        tx,
                        $"""
                        INSERT INTO workflow_instance ({InstanceColumns})
                        VALUES (@id, @definition_id, @version, @description, @reference, @status, @next_execution, @data, @create_time, @complete_time)
                        """
                    )
                )
                {
                    BindInstance(insert, workflow);
                    try
                    {
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
                    {
                        throw new InvalidOperationException(
                            $"Workflow instance '{workflow.Id}' already exists in {StoreDescription}; choose another id or persist the existing one.",
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

        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using (
                    var update = connection.Command(
                        tx,
                        """
                        UPDATE workflow_instance SET
                            definition_id = @definition_id, version = @version, description = @description, reference = @reference,
                            status = @status, next_execution = @next_execution, data = @data, create_time = @create_time,
                            complete_time = @complete_time
                        WHERE id = @id
                        """
                    )
                )
                {
                    BindInstance(update, workflow);
                    if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                        throw new NotFoundException(
                            $"Workflow instance '{workflow.Id}' is not in {StoreDescription}; it cannot be persisted before it is created."
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
        _store.RunAsync<IEnumerable<string>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        """
                        SELECT id FROM workflow_instance
                        WHERE status = 0 AND next_execution IS NOT NULL AND next_execution <= @now
                        ORDER BY next_execution
                        """
                    )
                    .With("now", UtcTicks.From(asAt));
                return await ReadStrings(query, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    /// <summary>Throws <see cref="NotFoundException"/> when the id is unknown.</summary>
    public Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(Id);
        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(tx, $"SELECT {InstanceColumns} FROM workflow_instance WHERE id = @id")
                    .With("id", Id);
                var found = await ReadInstances(connection, tx, query, cancellationToken).ConfigureAwait(false);
                return found.Count == 1
                    ? found[0]
                    : throw new NotFoundException($"Workflow instance '{Id}' is not in {StoreDescription}.");
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
        var wanted = (ids ?? []).Where(id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
            return Task.FromResult<IEnumerable<WorkflowInstance>>([]);

        return _store.RunAsync<IEnumerable<WorkflowInstance>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(tx, $"SELECT {InstanceColumns} FROM workflow_instance WHERE id = ANY(@ids)")
                    .With("ids", wanted);
                return await ReadInstances(connection, tx, query, cancellationToken).ConfigureAwait(false);
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

        return _store.RunAsync<IEnumerable<WorkflowInstance>>(
            async (connection, tx) =>
            {
                var where = new List<string>();
                await using var query = connection.Command(tx, "");
                if (status.HasValue)
                {
                    where.Add("status = @status");
                    query.With("status", (int)status.Value);
                }
                if (!string.IsNullOrEmpty(type))
                {
                    where.Add("definition_id = @type");
                    query.With("type", type);
                }
                if (createdFrom.HasValue)
                {
                    where.Add("create_time >= @from");
                    query.With("from", UtcTicks.From(createdFrom.Value));
                }
                if (createdTo.HasValue)
                {
                    where.Add("create_time <= @to");
                    query.With("to", UtcTicks.From(createdTo.Value));
                }
                query.CommandText =
                    $"SELECT {InstanceColumns} FROM workflow_instance"
                    + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                    + " ORDER BY create_time, id LIMIT @take OFFSET @skip";
                query.With("take", take).With("skip", skip);
                return await ReadInstances(connection, tx, query, CancellationToken.None).ConfigureAwait(false);
            },
            CancellationToken.None
        );
    }

    private static void BindInstance(NpgsqlCommand cmd, WorkflowInstance workflow) =>
        cmd.With("id", workflow.Id)
            .With(
                "definition_id",
                workflow.WorkflowDefinitionId
                    ?? throw new ArgumentException($"Workflow instance '{workflow.Id}' has no WorkflowDefinitionId.")
            )
            .With("version", workflow.Version)
            .WithText("description", workflow.Description)
            .WithText("reference", workflow.Reference)
            .With("status", (int)workflow.Status)
            .WithBigint("next_execution", workflow.NextExecution)
            .WithText("data", PersistenceJson.Serialize(workflow.Data))
            .With("create_time", UtcTicks.From(workflow.CreateTime))
            .WithBigint("complete_time", UtcTicks.From(workflow.CompleteTime));

    /// <summary>
    /// Upserts every pointer, rewriting a row only when its content changed (finished pointers, the bulk of a long
    /// workflow, cost a comparison instead of a row version), and deletes rows of pointers no longer in the instance.
    /// All in one round trip each: a batch of upserts, then one delete of the ids not sent.
    /// </summary>
    private static async Task WritePointers(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        WorkflowInstance workflow,
        CancellationToken cancellationToken
    )
    {
        var ids = new List<string>(workflow.ExecutionPointers.Count);
        await using var batch = new NpgsqlBatch(connection, tx);
        var ordinal = 0;
        foreach (var pointer in workflow.ExecutionPointers)
        {
            // ExecutionPointerCollection cannot hold a pointer without an id, so this never trips in practice.
            if (string.IsNullOrEmpty(pointer.Id))
                throw new ArgumentException(
                    $"Workflow instance '{workflow.Id}' has an execution pointer without an Id (step {pointer.StepId})."
                );
            ids.Add(pointer.Id);
            var upsert = new NpgsqlBatchCommand(
                """
                INSERT INTO execution_pointer (workflow_id, id, ordinal, step_id, step_name, status, active, sleep_until, event_name, event_key, body)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (workflow_id, id) DO UPDATE SET
                    ordinal = excluded.ordinal, step_id = excluded.step_id, step_name = excluded.step_name,
                    status = excluded.status, active = excluded.active, sleep_until = excluded.sleep_until,
                    event_name = excluded.event_name, event_key = excluded.event_key, body = excluded.body
                WHERE execution_pointer.body IS DISTINCT FROM excluded.body
                   OR execution_pointer.ordinal IS DISTINCT FROM excluded.ordinal
                """
            );
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workflow.Id });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pointer.Id });
            upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ordinal++ });
            upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pointer.StepId });
            upsert.Parameters.Add(Text(pointer.StepName));
            upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)pointer.Status });
            upsert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = pointer.Active });
            upsert.Parameters.Add(Bigint(UtcTicks.From(pointer.SleepUntil)));
            upsert.Parameters.Add(Text(pointer.EventName));
            upsert.Parameters.Add(Text(pointer.EventKey));
            upsert.Parameters.Add(
                new NpgsqlParameter<string> { TypedValue = PersistenceJson.SerializePointer(pointer) }
            );
            batch.BatchCommands.Add(upsert);
        }

        var delete = new NpgsqlBatchCommand(
            "DELETE FROM execution_pointer WHERE workflow_id = $1 AND NOT (id = ANY($2))"
        );
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workflow.Id });
        delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        batch.BatchCommands.Add(delete);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Bigint(long? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    private async Task<List<WorkflowInstance>> ReadInstances(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        NpgsqlCommand query,
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
                            $"Workflow instance '{id}' in {StoreDescription}: data"
                        ),
                        CreateTime = UtcTicks.ToDateTime(reader.GetInt64(8)),
                        CompleteTime = UtcTicks.ToDateTime(reader.GetNullableInt64(9)),
                    }
                );
            }
        }

        if (instances.Count == 0)
            return instances;

        // One query for the pointers of every instance read (the poller reads many at once).
        var pointers = instances.ToDictionary(i => i.Id, _ => new List<ExecutionPointer>(), StringComparer.Ordinal);
        await using (
            var query2 = connection
                .Command(
                    tx,
                    "SELECT workflow_id, id, body FROM execution_pointer WHERE workflow_id = ANY(@w) ORDER BY workflow_id, ordinal"
                )
                .With("w", pointers.Keys.ToArray())
        )
        await using (var reader = await query2.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var workflowId = reader.GetString(0);
                pointers[workflowId]
                    .Add(
                        PersistenceJson.DeserializePointer(
                            reader.GetString(2),
                            $"Execution pointer '{reader.GetString(1)}' of workflow instance '{workflowId}' in {StoreDescription}"
                        )
                    );
            }
        }
        foreach (var instance in instances)
            instance.ExecutionPointers = new ExecutionPointerCollection(pointers[instance.Id]);

        return instances;
    }

    private static async Task<List<string>> ReadStrings(NpgsqlCommand query, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            result.Add(reader.GetString(0));
        return result;
    }
}
