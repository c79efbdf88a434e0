using Npgsql;
using WorkflowCore.Exceptions;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence.Postgres;

public sealed partial class PostgresPersistenceProvider
{
    private const string SubscriptionColumns =
        "id, workflow_id, step_id, execution_pointer_id, event_name, event_key, subscribe_as_of, subscription_data, "
        + "external_token, external_worker_id, external_token_expiry";

    // ---- events ----

    /// <summary>Stores an event; keeps a caller-chosen Id, assigns a new GUID when it is empty.</summary>
    public Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        if (string.IsNullOrEmpty(newEvent.Id))
            newEvent.Id = Guid.NewGuid().ToString();

        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using var insert = connection
                    .Command(
                        tx,
                        """
                        INSERT INTO workflow_event (id, event_name, event_key, event_data, event_time, is_processed)
                        VALUES (@id, @name, @key, @data, @time, @processed)
                        """
                    )
                    .With("id", newEvent.Id)
                    .With(
                        "name",
                        newEvent.EventName
                            ?? throw new ArgumentException("An event needs an EventName.", nameof(newEvent))
                    )
                    .WithText("key", newEvent.EventKey)
                    .WithText("data", PersistenceJson.Serialize(newEvent.EventData))
                    .With("time", UtcTicks.From(newEvent.EventTime))
                    .With("processed", newEvent.IsProcessed);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return newEvent.Id;
            },
            cancellationToken
        );
    }

    /// <summary>Throws <see cref="NotFoundException"/> when the id is unknown.</summary>
    public Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        "SELECT id, event_name, event_key, event_data, event_time, is_processed FROM workflow_event WHERE id = @id"
                    )
                    .With("id", id);
                await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    throw new NotFoundException($"Event '{id}' is not in {StoreDescription}.");
                return new Event
                {
                    Id = reader.GetString(0),
                    EventName = reader.GetString(1),
                    EventKey = reader.GetNullableString(2),
                    EventData = PersistenceJson.Deserialize(
                        reader.GetNullableString(3),
                        $"Event '{id}' in {StoreDescription}: data"
                    ),
                    EventTime = UtcTicks.ToDateTime(reader.GetInt64(4)),
                    IsProcessed = reader.GetBoolean(5),
                };
            },
            cancellationToken
        );
    }

    /// <summary>Unprocessed events due at or before <paramref name="asAt"/>, oldest first.</summary>
    public Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default) =>
        _store.RunAsync<IEnumerable<string>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        "SELECT id FROM workflow_event WHERE NOT is_processed AND event_time <= @at ORDER BY event_time, id"
                    )
                    .With("at", UtcTicks.From(asAt));
                return await ReadStrings(query, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    /// <summary>Events of that name and key (null key matches null) raised at or after <paramref name="asOf"/>,
    /// processed or not.</summary>
    public Task<IEnumerable<string>> GetEvents(
        string eventName,
        string eventKey,
        DateTime asOf,
        CancellationToken cancellationToken = default
    ) =>
        _store.RunAsync<IEnumerable<string>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        """
                        SELECT id FROM workflow_event
                        WHERE event_name = @name AND event_key IS NOT DISTINCT FROM @key AND event_time >= @asOf
                        ORDER BY event_time, id
                        """
                    )
                    .With("name", eventName)
                    .WithText("key", eventKey)
                    .With("asOf", UtcTicks.From(asOf));
                return await ReadStrings(query, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) =>
        MarkEvent(id, true, cancellationToken);

    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) =>
        MarkEvent(id, false, cancellationToken);

    private Task MarkEvent(string id, bool processed, CancellationToken cancellationToken) =>
        _store.RunAsync(
            async (connection, tx) =>
            {
                await using var update = connection
                    .Command(tx, "UPDATE workflow_event SET is_processed = @p WHERE id = @id")
                    .With("p", processed)
                    .With("id", id);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    // ---- subscriptions ----

    /// <summary>Stores a subscription; assigns a new GUID when its Id is empty. Storing the same Id again is a
    /// no-op.</summary>
    public Task<string> CreateEventSubscription(
        EventSubscription subscription,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return _store.RunAsync(
            async (connection, tx) =>
            {
                await InsertSubscription(connection, tx, subscription, cancellationToken).ConfigureAwait(false);
                return subscription.Id;
            },
            cancellationToken
        );
    }

    /// <summary>Subscriptions to that name and key (null key matches null) that began at or before <paramref
    /// name="asOf"/>.</summary>
    public Task<IEnumerable<EventSubscription>> GetSubscriptions(
        string eventName,
        string eventKey,
        DateTime asOf,
        CancellationToken cancellationToken = default
    ) =>
        _store.RunAsync<IEnumerable<EventSubscription>>(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        $"""
                        SELECT {SubscriptionColumns} FROM event_subscription
                        WHERE event_name = @name AND event_key IS NOT DISTINCT FROM @key AND subscribe_as_of <= @asOf
                        ORDER BY subscribe_as_of, id
                        """
                    )
                    .With("name", eventName)
                    .WithText("key", eventKey)
                    .With("asOf", UtcTicks.From(asOf));
                return await ReadSubscriptions(query, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    /// <summary>Deletes the subscription; an unknown id is a no-op (it was already terminated).</summary>
    public Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default) =>
        _store.RunAsync(
            async (connection, tx) =>
            {
                await using var delete = connection
                    .Command(tx, "DELETE FROM event_subscription WHERE id = @id")
                    .With("id", eventSubscriptionId);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken
        );

    /// <summary>The subscription, or null when it does not exist (WorkflowCore treats null as "already
    /// processed").</summary>
    public Task<EventSubscription> GetSubscription(
        string eventSubscriptionId,
        CancellationToken cancellationToken = default
    ) =>
        _store.RunAsync(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(tx, $"SELECT {SubscriptionColumns} FROM event_subscription WHERE id = @id")
                    .With("id", eventSubscriptionId);
                return (await ReadSubscriptions(query, cancellationToken).ConfigureAwait(false)).FirstOrDefault()!;
            },
            cancellationToken
        );

    /// <summary>
    /// The oldest subscription to that name and key that no worker holds: its token is empty, or its token expired
    /// before <paramref name="asOf"/> (the worker that took it is presumed gone). Null when there is none.
    /// </summary>
    public Task<EventSubscription> GetFirstOpenSubscription(
        string eventName,
        string eventKey,
        DateTime asOf,
        CancellationToken cancellationToken = default
    ) =>
        _store.RunAsync(
            async (connection, tx) =>
            {
                await using var query = connection
                    .Command(
                        tx,
                        $"""
                        SELECT {SubscriptionColumns} FROM event_subscription
                        WHERE event_name = @name AND event_key IS NOT DISTINCT FROM @key AND subscribe_as_of <= @asOf
                          AND (external_token IS NULL OR external_token_expiry < @asOf)
                        ORDER BY subscribe_as_of, id
                        LIMIT 1
                        """
                    )
                    .With("name", eventName)
                    .WithText("key", eventKey)
                    .With("asOf", UtcTicks.From(asOf));
                return (await ReadSubscriptions(query, cancellationToken).ConfigureAwait(false)).FirstOrDefault()!;
            },
            cancellationToken
        );

    /// <summary>
    /// Hands the subscription to a worker. Succeeds (true) when it was free, when its previous token has expired, or
    /// when it already holds this same token; false when another live token holds it or it no longer exists.
    /// The check and the write are one statement, so two workers cannot both win.
    /// </summary>
    public Task<bool> SetSubscriptionToken(
        string eventSubscriptionId,
        string token,
        string workerId,
        DateTime expiry,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var now = UtcTicks.From(_time.GetUtcNow().UtcDateTime);
        return _store.RunAsync(
            async (connection, tx) =>
            {
                await using var update = connection
                    .Command(
                        tx,
                        """
                        UPDATE event_subscription
                        SET external_token = @token, external_worker_id = @worker, external_token_expiry = @expiry
                        WHERE id = @id AND (external_token IS NULL OR external_token = @token OR external_token_expiry < @now)
                        """
                    )
                    .With("id", eventSubscriptionId)
                    .WithText("token", token)
                    .WithText("worker", workerId)
                    .With("expiry", UtcTicks.From(expiry))
                    .With("now", now);
                return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken
        );
    }

    /// <summary>
    /// Frees the subscription if <paramref name="token"/> holds it. A subscription that is gone or already free is
    /// left alone; one held by a different token throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public Task ClearSubscriptionToken(
        string eventSubscriptionId,
        string token,
        CancellationToken cancellationToken = default
    ) =>
        _store.RunAsync(
            async (connection, tx) =>
            {
                await using var update = connection
                    .Command(
                        tx,
                        """
                        UPDATE event_subscription
                        SET external_token = NULL, external_worker_id = NULL, external_token_expiry = NULL
                        WHERE id = @id AND external_token = @token
                        """
                    )
                    .With("id", eventSubscriptionId)
                    .WithText("token", token);
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                    return;

                await using var holder = connection
                    .Command(tx, "SELECT external_token FROM event_subscription WHERE id = @id")
                    .With("id", eventSubscriptionId);
                var current = await holder.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (current is string)
                    throw new InvalidOperationException(
                        $"Subscription '{eventSubscriptionId}' is held by another token; this token cannot release it."
                    );
            },
            cancellationToken
        );

    private static async Task InsertSubscription(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        EventSubscription subscription,
        CancellationToken cancellationToken
    )
    {
        if (string.IsNullOrEmpty(subscription.Id))
            subscription.Id = Guid.NewGuid().ToString();

        await using var insert = connection
            .Command(
                tx,
                $"""
                INSERT INTO event_subscription ({SubscriptionColumns})
                VALUES (@id, @workflow_id, @step_id, @pointer_id, @name, @key, @as_of, @data, @token, @worker, @expiry)
                ON CONFLICT (id) DO NOTHING
                """
            )
            .With("id", subscription.Id)
            .With(
                "workflow_id",
                subscription.WorkflowId
                    ?? throw new ArgumentException($"Subscription '{subscription.Id}' has no WorkflowId.")
            )
            .With("step_id", subscription.StepId)
            .WithText("pointer_id", subscription.ExecutionPointerId)
            .With(
                "name",
                subscription.EventName
                    ?? throw new ArgumentException($"Subscription '{subscription.Id}' has no EventName.")
            )
            .WithText("key", subscription.EventKey)
            .With("as_of", UtcTicks.From(subscription.SubscribeAsOf))
            .WithText("data", PersistenceJson.Serialize(subscription.SubscriptionData))
            .WithText("token", subscription.ExternalToken)
            .WithText("worker", subscription.ExternalWorkerId)
            .WithBigint("expiry", UtcTicks.From(subscription.ExternalTokenExpiry));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<EventSubscription>> ReadSubscriptions(
        NpgsqlCommand query,
        CancellationToken cancellationToken
    )
    {
        var result = new List<EventSubscription>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            result.Add(
                new EventSubscription
                {
                    Id = id,
                    WorkflowId = reader.GetString(1),
                    StepId = reader.GetInt32(2),
                    ExecutionPointerId = reader.GetNullableString(3),
                    EventName = reader.GetString(4),
                    EventKey = reader.GetNullableString(5),
                    SubscribeAsOf = UtcTicks.ToDateTime(reader.GetInt64(6)),
                    SubscriptionData = PersistenceJson.Deserialize(
                        reader.GetNullableString(7),
                        $"Subscription '{id}' in {StoreDescription}: data"
                    ),
                    ExternalToken = reader.GetNullableString(8),
                    ExternalWorkerId = reader.GetNullableString(9),
                    ExternalTokenExpiry = UtcTicks.ToDateTime(reader.GetNullableInt64(10)),
                }
            );
        }
        return result;
    }
}
