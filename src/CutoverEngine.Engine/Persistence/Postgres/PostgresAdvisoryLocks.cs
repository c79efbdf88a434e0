namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// The engine's own advisory lock keys, in one place. They use PostgreSQL's two-key form (class, object), a key space
/// apart from the one-key (bigint) form that <see cref="PostgresDistributedLockProvider"/> hashes workflow ids into,
/// so a workflow id can never collide with them.
/// </summary>
internal static class PostgresAdvisoryLocks
{
    /// <summary>Class key of every engine lock: "CE" in ASCII.</summary>
    public const int EngineClass = 0x4345;

    /// <summary>Held (transaction-scoped) while a node migrates the schema: nodes starting together migrate
    /// once.</summary>
    public const int SchemaMigration = 1;

    /// <summary>Held (transaction-scoped) by every write of the wave tables, so the nodes' wave writes run one at a
    /// time: "WA" in ASCII.</summary>
    public const int WaveWrites = 0x5741;

    /// <summary>Held (transaction-scoped) by every claim or release of a pause slot, so the safety caps are counted
    /// and taken one claim at a time across every node: "PC" in ASCII.</summary>
    public const int PauseClaimWrites = 0x5043;
}
