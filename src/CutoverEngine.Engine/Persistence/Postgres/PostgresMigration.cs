namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>One forward-only schema change of the PostgreSQL store. Versions start at 1 and have no gaps.</summary>
internal sealed record PostgresMigration(int Version, string Description, string Sql);
