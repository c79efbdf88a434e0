namespace CutoverEngine.Engine.Audit;

/// <summary>The journal file is missing, has no journal table, or SQLite cannot open it.</summary>
public sealed class JournalUnavailableException : Exception
{
    public JournalUnavailableException(string message)
        : base(message) { }

    public JournalUnavailableException(string message, Exception inner)
        : base(message, inner) { }
}
