namespace CutoverEngine.Engine.Audit;

/// <summary>Checks, before any reading tool opens a journal, that the file and its table exist.</summary>
public static class JournalFile
{
    /// <exception cref="JournalUnavailableException">The file does not exist or has no journal table.</exception>
    public static void RequireJournal(string databasePath)
    {
        using var connection = JournalDatabase.Open(databasePath, forWriting: false);
    }
}
