using System.CommandLine;
using CutoverEngine.Engine.Persistence;

namespace CutoverEngine.Cli.Commands;

/// <summary>The <c>--database</c> option of the commands that read the engine's journal.</summary>
internal static class JournalDatabaseOption
{
    public static Option<string> Create() =>
        new("--database")
        {
            Description = "The engine's SQLite database (Engine:DatabasePath).",
            DefaultValueFactory = _ => SqliteStoreOptions.DefaultDatabasePath,
        };
}
