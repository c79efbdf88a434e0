namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>Raised when the database was migrated by a newer build whose schema this build does not know.</summary>
public sealed class PostgresSchemaTooNewException(string store, int databaseVersion, int supportedVersion)
    : InvalidOperationException(
        $"Workflow store {store} has schema version {databaseVersion}, but this build of CutoverEngine supports up to "
            + $"version {supportedVersion}. A newer build migrated it; refusing to use it (run the newer build on "
            + "every node)."
    )
{
    public int DatabaseVersion { get; } = databaseVersion;
    public int SupportedVersion { get; } = supportedVersion;
}
