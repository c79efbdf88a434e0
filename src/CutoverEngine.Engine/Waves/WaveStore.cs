using System.Data;
using System.Data.Common;
using System.Globalization;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Engine.Waves;

/// <summary>A notice sent (or rendered) to an environment's customer, and when.</summary>
public sealed record NoticeRecord(
    string WaveId,
    string EnvironmentId,
    string Customer,
    DateTimeOffset NotifiedAt,
    string Actor,
    string? File,
    bool Sent
);

/// <summary>Where one environment's reminder of a scheduled start stands.</summary>
public enum ReminderClaim
{
    /// <summary>This caller claimed it: send it.</summary>
    Claimed,

    /// <summary>Claimed before but never marked sent (the run crashed, or the relay refused): still owed.</summary>
    Unsent,

    /// <summary>The relay accepted it.</summary>
    Sent,
}

/// <summary>The METHOD:CANCEL owed to a customer for an event of a wave its environment left, with the SEQUENCE it
/// carries.</summary>
public sealed record InvitationCancel(string WaveId, string EnvironmentId, int Sequence, string Reason);

/// <summary>A policy override as kept for audit.</summary>
public sealed record OverrideRecord(
    string WaveId,
    string Operation,
    PolicyOverride Override,
    IReadOnlyList<PolicyViolation> Violations
);

/// <summary>
/// Waves, their environments, notices and overrides (tables waves, wave_environments, notices, overrides, reminders,
/// invitation_cancels, wave_cutovers, wave_approvals, wave_freeze_overrides), in the engine's SQLite file or in the
/// PostgreSQL database a fleet of nodes shares (<see cref="OnPostgres"/>). The wave row is the durable trigger of a
/// schedule: <see cref="TryClaimAsync"/> moves it from scheduled to running only if it is still scheduled for the
/// same instant, so a start fires exactly once however many timers, hosts, nodes or restarts race for it.
/// <para>
/// One set of rules and queries for both databases (the SQL is the dialect they share: <c>@name</c> parameters,
/// <c>ON CONFLICT</c>, <c>IS NOT DISTINCT FROM</c>); the database only decides how a connection opens and how a write
/// is serialized (<see cref="IStoreConnections"/>). Every write runs in a transaction that the database
/// serializes with every other write of the wave tables, so a check and the change it guards cannot interleave with
/// another node's.
/// </para>
/// </summary>
public sealed class WaveStore
{
    readonly IStoreConnections _connections;

    public WaveStore(string databasePath)
        : this(new SqliteStoreConnections(databasePath, WaveTables.NewOnSqlite(), foreignKeys: true)) { }

    WaveStore(IStoreConnections connections)
    {
        _connections = connections;
    }

    /// <summary>A wave store in the PostgreSQL database the nodes share; its tables come with the schema's
    /// migrations, applied on first use (once across nodes starting together).</summary>
    public static WaveStore OnPostgres(PostgresStoreOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WaveStore(
            new PostgresStoreConnections(
                options.Validated(),
                logger ?? NullLogger.Instance,
                PostgresAdvisoryLocks.WaveWrites
            )
        );
    }

    static string Iso(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    static DateTimeOffset ParseIso(string s) =>
        DateTimeOffset.Parse(
            s,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal
        );

    // Typed parameters (DbCommandParameters says why).
    static void Add(DbCommand c, string name, string? value) => Add(c, name, DbType.String, value);

    static void Add(DbCommand c, string name, int value) => Add(c, name, DbType.Int32, value);

    static void Add(DbCommand c, string name, bool value) => Add(c, name, DbType.Boolean, value);

    static void Add(DbCommand c, string name, DbType type, object? value) => c.AddTyped(name, type, value);

    /// <summary>Inserts a new wave. Creating the same wave again (same environments, start, parallel, order) is a
    /// no-op; a different one with the same id is refused.</summary>
    public async Task<Wave> CreateAsync(Wave wave, string actor, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        if (await ReadAsync(c, tx, wave.Id, ct) is { } existing)
        {
            if (
                existing.Environments.SequenceEqual(wave.Environments)
                && existing.PlannedStart == wave.PlannedStart
                && existing.Parallel == wave.Parallel
                && existing.Order == wave.Order
            )
                return existing;
            throw new WaveStateException(
                $"Wave '{wave.Id}' already exists with different settings ({WaveNames.Of(existing.State)}); choose another id."
            );
        }
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO waves (id, state, planned_start, scheduled_for, parallel, order_kind, state_reason, created_at, created_by, updated_at)
                VALUES (@id, @state, @planned, @scheduled, @parallel, @order, @reason, @now, @actor, @now)
                """;
            Add(insert, "@id", wave.Id);
            Add(insert, "@state", WaveNames.Of(wave.State));
            Add(insert, "@planned", Iso(wave.PlannedStart));
            Add(insert, "@scheduled", wave.ScheduledFor is { } s ? Iso(s) : null);
            Add(insert, "@parallel", wave.Parallel);
            Add(insert, "@order", WaveNames.Of(wave.Order));
            Add(insert, "@reason", wave.StateReason);
            Add(insert, "@now", Iso(now));
            Add(insert, "@actor", actor);
            await insert.ExecuteNonQueryAsync(ct);
        }
        for (var i = 0; i < wave.Environments.Count; i++)
        {
            await using var env = c.CreateCommand();
            env.Transaction = tx;
            env.CommandText = "INSERT INTO wave_environments (wave_id, position, environment_id) VALUES (@w, @p, @e)";
            Add(env, "@w", wave.Id);
            Add(env, "@p", i);
            Add(env, "@e", wave.Environments[i]);
            await env.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return wave;
    }

    /// <summary>
    /// Moves an environment from one wave's list to the end of another's, in one transaction, only if both waves
    /// are still in the states the caller checked (optimistic concurrency, as <see cref="TryUpdateAsync"/>).
    /// </summary>
    /// <param name="cancelReason">When set, the customer's invitation of <paramref name="from"/>'s event is owed a
    /// cancel (<see cref="PendingInvitationCancelsAsync"/>), recorded in the same transaction with the next
    /// SEQUENCE of that event.</param>
    /// <returns>False when either wave changed meanwhile, or the source no longer holds it.</returns>
    public async Task<bool> TryMoveEnvironmentAsync(
        string environmentId,
        Wave from,
        Wave to,
        DateTimeOffset now,
        string? cancelReason = null,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        foreach (var expected in new[] { from, to })
            if (await ReadAsync(c, tx, expected.Id, ct) is not { } stored || stored.State != expected.State)
                return false;
        await using (var delete = c.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM wave_environments WHERE wave_id = @w AND environment_id = @e";
            Add(delete, "@w", from.Id);
            Add(delete, "@e", environmentId);
            if (await delete.ExecuteNonQueryAsync(ct) != 1)
                return false;
        }
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO wave_environments (wave_id, position, environment_id)
                VALUES (@w, (SELECT coalesce(max(position), -1) + 1 FROM wave_environments WHERE wave_id = @w), @e)
                """;
            Add(insert, "@w", to.Id);
            Add(insert, "@e", environmentId);
            await insert.ExecuteNonQueryAsync(ct);
        }
        await using (var touch = c.CreateCommand())
        {
            touch.Transaction = tx;
            touch.CommandText = "UPDATE waves SET updated_at = @now WHERE id IN (@from, @to)";
            Add(touch, "@now", Iso(now));
            Add(touch, "@from", from.Id);
            Add(touch, "@to", to.Id);
            await touch.ExecuteNonQueryAsync(ct);
        }
        if (cancelReason is not null)
        {
            await using var cancel = c.CreateCommand();
            cancel.Transaction = tx;
            cancel.CommandText = """
                INSERT INTO invitation_cancels (wave_id, environment_id, sequence, reason, requested_at)
                VALUES (@w, @e,
                    (SELECT count(*) FROM notices WHERE wave_id = @w AND environment_id = @e)
                    + (SELECT count(*) FROM invitation_cancels WHERE wave_id = @w AND environment_id = @e),
                    @reason, @now)
                """;
            Add(cancel, "@w", from.Id);
            Add(cancel, "@e", environmentId);
            Add(cancel, "@reason", cancelReason);
            Add(cancel, "@now", Iso(now));
            await cancel.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<Wave?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        return await ReadAsync(c, null, id, ct);
    }

    public async Task<Wave> GetAsync(string id, CancellationToken ct = default) =>
        await FindAsync(id, ct) ?? throw new KeyNotFoundException($"No wave '{id}' in the store.");

    public async Task<IReadOnlyList<Wave>> ListAsync(WaveState? state = null, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        var ids = new List<string>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = state is null
                ? "SELECT id FROM waves ORDER BY planned_start, id"
                : "SELECT id FROM waves WHERE state = @s ORDER BY planned_start, id";
            if (state is { } s)
                Add(cmd, "@s", WaveNames.Of(s));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                ids.Add(r.GetString(0));
        }
        var waves = new List<Wave>(ids.Count);
        foreach (var id in ids)
            waves.Add((await ReadAsync(c, null, id, ct))!);
        return waves;
    }

    static async Task<Wave?> ReadAsync(DbConnection c, DbTransaction? tx, string id, CancellationToken ct)
    {
        Wave? wave;
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText =
                "SELECT state, planned_start, scheduled_for, parallel, order_kind, state_reason FROM waves WHERE id = @id";
            Add(cmd, "@id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
                return null;
            wave = new Wave(
                id,
                [],
                ParseIso(r.GetString(1)),
                r.GetInt32(3),
                WaveNames.ParseOrder(r.GetString(4)),
                WaveNames.ParseState(r.GetString(0)),
                r.IsDBNull(2) ? null : ParseIso(r.GetString(2)),
                r.IsDBNull(5) ? null : r.GetString(5)
            );
        }
        var environments = new List<string>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT environment_id FROM wave_environments WHERE wave_id = @id ORDER BY position";
            Add(cmd, "@id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                environments.Add(r.GetString(0));
        }
        return wave with { Environments = environments };
    }

    /// <summary>
    /// Writes a state change, only if the stored row is still in <paramref name="expected"/>'s state and schedule
    /// (optimistic concurrency: two operators, or the scheduler and an operator, cannot both win).
    /// </summary>
    /// <returns>False when the row changed meanwhile.</returns>
    public async Task<bool> TryUpdateAsync(Wave expected, Wave next, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE waves SET state = @state, scheduled_for = @scheduled, state_reason = @reason, updated_at = @now
            WHERE id = @id AND state = @expected_state AND scheduled_for IS NOT DISTINCT FROM @expected_scheduled
            """;
        Add(cmd, "@id", next.Id);
        Add(cmd, "@state", WaveNames.Of(next.State));
        Add(cmd, "@scheduled", next.ScheduledFor is { } s ? Iso(s) : null);
        Add(cmd, "@reason", next.StateReason);
        Add(cmd, "@now", Iso(now));
        Add(cmd, "@expected_state", WaveNames.Of(expected.State));
        Add(cmd, "@expected_scheduled", expected.ScheduledFor is { } e ? Iso(e) : null);
        var changed = await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return changed == 1;
    }

    /// <summary>Takes an environment out of a wave not started yet, only if the wave is still in the state the
    /// caller checked; false when it changed meanwhile or no longer holds the environment.</summary>
    public async Task<bool> TryDropEnvironmentAsync(
        string environmentId,
        Wave from,
        DateTimeOffset now,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        if (await ReadAsync(c, tx, from.Id, ct) is not { } stored || stored.State != from.State)
            return false;
        await using (var delete = c.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM wave_environments WHERE wave_id = @w AND environment_id = @e";
            Add(delete, "@w", from.Id);
            Add(delete, "@e", environmentId);
            if (await delete.ExecuteNonQueryAsync(ct) != 1)
                return false;
        }
        await using (var touch = c.CreateCommand())
        {
            touch.Transaction = tx;
            touch.CommandText = "UPDATE waves SET updated_at = @now WHERE id = @w";
            Add(touch, "@now", Iso(now));
            Add(touch, "@w", from.Id);
            await touch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The atomic claim of a scheduled start: true for exactly one caller per (wave, scheduled
    /// instant).</summary>
    public async Task<bool> TryClaimAsync(
        string waveId,
        DateTimeOffset scheduledFor,
        DateTimeOffset now,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "UPDATE waves SET state = 'running', state_reason = NULL, updated_at = @now WHERE id = @id AND state = 'scheduled' AND scheduled_for = @t";
        Add(cmd, "@id", waveId);
        Add(cmd, "@t", Iso(scheduledFor));
        Add(cmd, "@now", Iso(now));
        var changed = await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return changed == 1;
    }

    public async Task RecordNoticeAsync(NoticeRecord notice, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "INSERT INTO notices (wave_id, environment_id, customer, notified_at, actor, file, sent) VALUES (@w, @e, @c, @at, @a, @f, @s)";
        Add(cmd, "@w", notice.WaveId);
        Add(cmd, "@e", notice.EnvironmentId);
        Add(cmd, "@c", notice.Customer);
        Add(cmd, "@at", Iso(notice.NotifiedAt));
        Add(cmd, "@a", notice.Actor);
        Add(cmd, "@f", notice.File);
        Add(cmd, "@s", notice.Sent);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Claims one environment's reminder of the wave's start at <paramref name="scheduledFor"/>. Exactly one caller
    /// gets <see cref="ReminderClaim.Claimed"/>; later callers learn whether the reminder was marked sent (<see
    /// cref="MarkReminderSentAsync"/>) or is still owed: claimed by a run that crashed or failed before the relay took
    /// it.
    /// </summary>
    public async Task<ReminderClaim> ClaimReminderAsync(
        string waveId,
        string environmentId,
        DateTimeOffset scheduledFor,
        DateTimeOffset now,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO reminders (wave_id, environment_id, scheduled_for, claimed_at) VALUES (@w, @e, @t, @now)
                ON CONFLICT DO NOTHING
                """;
            Add(insert, "@w", waveId);
            Add(insert, "@e", environmentId);
            Add(insert, "@t", Iso(scheduledFor));
            Add(insert, "@now", Iso(now));
            if (await insert.ExecuteNonQueryAsync(ct) == 1)
            {
                await tx.CommitAsync(ct);
                return ReminderClaim.Claimed;
            }
        }
        await using var read = c.CreateCommand();
        read.Transaction = tx;
        read.CommandText =
            "SELECT sent_at FROM reminders WHERE wave_id = @w AND environment_id = @e AND scheduled_for = @t";
        Add(read, "@w", waveId);
        Add(read, "@e", environmentId);
        Add(read, "@t", Iso(scheduledFor));
        return await read.ExecuteScalarAsync(ct) is string ? ReminderClaim.Sent : ReminderClaim.Unsent;
    }

    /// <summary>Marks a claimed reminder as accepted by the relay at <paramref name="sentAt"/>; the first mark
    /// stays.</summary>
    public async Task MarkReminderSentAsync(
        string waveId,
        string environmentId,
        DateTimeOffset scheduledFor,
        DateTimeOffset sentAt,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE reminders SET sent_at = @at
            WHERE wave_id = @w AND environment_id = @e AND scheduled_for = @t AND sent_at IS NULL
            """;
        Add(cmd, "@w", waveId);
        Add(cmd, "@e", environmentId);
        Add(cmd, "@t", Iso(scheduledFor));
        Add(cmd, "@at", Iso(sentAt));
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The SEQUENCE the next invitation of the wave's event for the environment carries: one more than any sent
    /// before, counting the notices (each a REQUEST) and the cancels of that event (<see
    /// cref="TryMoveEnvironmentAsync"/>).
    /// </summary>
    public async Task<int> NextSequenceAsync(string waveId, string environmentId, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT count(*) FROM notices WHERE wave_id = @w AND environment_id = @e)
                 + (SELECT count(*) FROM invitation_cancels WHERE wave_id = @w AND environment_id = @e)
            """;
        Add(cmd, "@w", waveId);
        Add(cmd, "@e", environmentId);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the environment's customer was sent (not only rendered) a notice of the wave: its calendar
    /// holds the wave's event.</summary>
    public async Task<bool> HasSentNoticeAsync(string waveId, string environmentId, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM notices WHERE wave_id = @w AND environment_id = @e AND sent";
        Add(cmd, "@w", waveId);
        Add(cmd, "@e", environmentId);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>The cancels of the environment's invitations not yet accepted by the relay, oldest first.</summary>
    public async Task<IReadOnlyList<InvitationCancel>> PendingInvitationCancelsAsync(
        string environmentId,
        CancellationToken ct = default
    )
    {
        var list = new List<InvitationCancel>();
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT wave_id, sequence, reason FROM invitation_cancels
            WHERE environment_id = @e AND sent_at IS NULL ORDER BY requested_at, wave_id
            """;
        Add(cmd, "@e", environmentId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new InvitationCancel(r.GetString(0), environmentId, r.GetInt32(1), r.GetString(2)));
        return list;
    }

    /// <summary>Marks an invitation's cancel as accepted by the relay; the first mark stays.</summary>
    public async Task MarkInvitationCancelSentAsync(
        InvitationCancel cancel,
        DateTimeOffset sentAt,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE invitation_cancels SET sent_at = @at
            WHERE wave_id = @w AND environment_id = @e AND sequence = @s AND sent_at IS NULL
            """;
        Add(cmd, "@w", cancel.WaveId);
        Add(cmd, "@e", cancel.EnvironmentId);
        Add(cmd, "@s", cancel.Sequence);
        Add(cmd, "@at", Iso(sentAt));
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The latest notice per environment (the one that counts for the policy), by environment id.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LatestNoticesAsync(
        IEnumerable<string> environmentIds,
        CancellationToken ct = default
    )
    {
        var wanted = environmentIds.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT environment_id, max(notified_at) FROM notices GROUP BY environment_id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            if (wanted.Contains(r.GetString(0)))
                result[r.GetString(0)] = ParseIso(r.GetString(1));
        return result;
    }

    public async Task RecordOverrideAsync(OverrideRecord record, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "INSERT INTO overrides (wave_id, operation, at, actor, reason, violations) VALUES (@w, @o, @at, @a, @r, @v)";
        Add(cmd, "@w", record.WaveId);
        Add(cmd, "@o", record.Operation);
        Add(cmd, "@at", Iso(record.Override.At));
        Add(cmd, "@a", record.Override.Actor);
        Add(cmd, "@r", record.Override.Reason);
        Add(cmd, "@v", System.Text.Json.JsonSerializer.Serialize(record.Violations));
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<OverrideRecord>> OverridesAsync(string waveId, CancellationToken ct = default)
    {
        var list = new List<OverrideRecord>();
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText =
            "SELECT operation, at, actor, reason, violations FROM overrides WHERE wave_id = @w ORDER BY id";
        Add(cmd, "@w", waveId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(
                new(
                    waveId,
                    r.GetString(0),
                    new PolicyOverride(r.GetString(3), r.GetString(2), ParseIso(r.GetString(1))),
                    System.Text.Json.JsonSerializer.Deserialize<List<PolicyViolation>>(r.GetString(4)) ?? []
                )
            );
        return list;
    }

    /// <summary>Who created the wave (the actor as journaled), for the rule that a creator does not approve.</summary>
    public async Task<string> CreatorAsync(string waveId, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT created_by FROM waves WHERE id = @w";
        Add(cmd, "@w", waveId);
        return await cmd.ExecuteScalarAsync(ct) as string
            ?? throw new KeyNotFoundException($"No wave '{waveId}' in the store.");
    }

    /// <summary>Records an approval (a new row: the person's earlier ones stay, for the record).</summary>
    public async Task RecordApprovalAsync(string waveId, WaveApproval approval, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO wave_approvals (wave_id, approver, person, reason, at, terms)
            VALUES (@w, @a, @p, @r, @at, @t)
            """;
        Add(cmd, "@w", waveId);
        Add(cmd, "@a", approval.Approver);
        Add(cmd, "@p", approval.Person);
        Add(cmd, "@r", approval.Reason);
        Add(cmd, "@at", Iso(approval.At));
        Add(cmd, "@t", approval.Terms);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Revokes the person's standing approvals of the wave (kept, marked revoked); returns how many.</summary>
    public async Task<int> RevokeApprovalsAsync(
        string waveId,
        string person,
        string revokedBy,
        string reason,
        DateTimeOffset at,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE wave_approvals SET revoked_at = @at, revoked_by = @b, revoke_reason = @r
            WHERE wave_id = @w AND person = @p AND revoked_at IS NULL
            """;
        Add(cmd, "@w", waveId);
        Add(cmd, "@p", person);
        Add(cmd, "@b", revokedBy);
        Add(cmd, "@r", reason);
        Add(cmd, "@at", Iso(at));
        var revoked = await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return revoked;
    }

    /// <summary>The wave's approvals not revoked, oldest first, whatever terms they were given for.</summary>
    public async Task<IReadOnlyList<WaveApproval>> ApprovalsAsync(string waveId, CancellationToken ct = default)
    {
        var list = new List<WaveApproval>();
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT approver, person, reason, at, terms FROM wave_approvals
            WHERE wave_id = @w AND revoked_at IS NULL ORDER BY id
            """;
        Add(cmd, "@w", waveId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), ParseIso(r.GetString(3)), r.GetString(4)));
        return list;
    }

    /// <summary>Records overrides of change freezes for the wave's terms; one again for the same freeze and terms
    /// keeps the first (a replayed call writes nothing new).</summary>
    public async Task RecordFreezeOverridesAsync(
        string waveId,
        string terms,
        IReadOnlyList<string> freezes,
        PolicyOverride decision,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        foreach (var freeze in freezes)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO wave_freeze_overrides (wave_id, "freeze", terms, at, actor, reason)
                VALUES (@w, @f, @t, @at, @a, @r)
                ON CONFLICT DO NOTHING
                """;
            Add(cmd, "@w", waveId);
            Add(cmd, "@f", freeze);
            Add(cmd, "@t", terms);
            Add(cmd, "@at", Iso(decision.At));
            Add(cmd, "@a", decision.Actor);
            Add(cmd, "@r", decision.Reason);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The freezes overridden for the wave's <paramref name="terms"/>, with when.</summary>
    public async Task<IReadOnlyList<(string Freeze, DateTimeOffset At)>> FreezeOverridesAsync(
        string waveId,
        string terms,
        CancellationToken ct = default
    )
    {
        var list = new List<(string, DateTimeOffset)>();
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // "freeze" is quoted: a reserved word in PostgreSQL (VACUUM FREEZE); SQLite takes the quoted name alike.
        cmd.CommandText = "SELECT \"freeze\", at FROM wave_freeze_overrides WHERE wave_id = @w AND terms = @t";
        Add(cmd, "@w", waveId);
        Add(cmd, "@t", terms);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add((r.GetString(0), ParseIso(r.GetString(1))));
        return list;
    }

    /// <summary>Records which cutover instance runs an environment of a wave, and later its outcome.</summary>
    public async Task RecordCutoverAsync(
        string waveId,
        string environmentId,
        string instanceId,
        string? outcome,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var tx = await _connections.BeginWriteAsync(c, ct);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO wave_cutovers (wave_id, environment_id, instance_id, outcome) VALUES (@w, @e, @i, @o)
            ON CONFLICT (wave_id, environment_id) DO UPDATE SET instance_id = excluded.instance_id, outcome = excluded.outcome
            """;
        Add(cmd, "@w", waveId);
        Add(cmd, "@e", environmentId);
        Add(cmd, "@i", instanceId);
        Add(cmd, "@o", outcome);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The cutovers of a wave: environment id -> (instance, outcome or null while in flight).</summary>
    public async Task<IReadOnlyDictionary<string, (string InstanceId, string? Outcome)>> CutoversAsync(
        string waveId,
        CancellationToken ct = default
    )
    {
        var map = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT environment_id, instance_id, outcome FROM wave_cutovers WHERE wave_id = @w";
        Add(cmd, "@w", waveId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            map[r.GetString(0)] = (r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
        return map;
    }

    /// <summary>The waves other than <paramref name="waveId"/> in one of <paramref name="states"/> that hold
    /// <paramref name="environmentId"/>, by id.</summary>
    public async Task<IReadOnlyList<string>> OtherWavesHoldingAsync(
        string environmentId,
        string waveId,
        IReadOnlyCollection<WaveState> states,
        CancellationToken ct = default
    )
    {
        var wanted = states.Select(WaveNames.Of).ToHashSet(StringComparer.Ordinal);
        var list = new List<string>();
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT w.id, w.state FROM waves w JOIN wave_environments e ON e.wave_id = w.id
            WHERE e.environment_id = @e AND w.id <> @w ORDER BY w.id
            """;
        Add(cmd, "@e", environmentId);
        Add(cmd, "@w", waveId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            if (wanted.Contains(r.GetString(1)))
                list.Add(r.GetString(0));
        return list;
    }

    /// <summary>The environment's latest finished cutover in any wave (the last recorded), or null.</summary>
    public async Task<(string WaveId, string InstanceId, string Outcome)?> LastCutoverAsync(
        string environmentId,
        CancellationToken ct = default
    )
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        // rowid grows with each first record of a (wave, environment); the upsert of its outcome keeps it. SQLite's
        // is implicit; PostgreSQL's table has an identity column of that name for this order.
        cmd.CommandText = """
            SELECT wave_id, instance_id, outcome FROM wave_cutovers
            WHERE environment_id = @e AND outcome IS NOT NULL ORDER BY rowid DESC LIMIT 1
            """;
        Add(cmd, "@e", environmentId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetString(1), r.GetString(2)) : null;
    }

    /// <summary>Whether the environment has a completed cutover on record in any wave.</summary>
    public async Task<bool> HasSucceededAsync(string environmentId, CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM wave_cutovers WHERE environment_id = @e AND outcome = 'completed'";
        Add(cmd, "@e", environmentId);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }
}
