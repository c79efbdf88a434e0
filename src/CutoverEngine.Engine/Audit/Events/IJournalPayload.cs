namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The payload of one journal event kind. The payload type declares its kind's wire name and scope, so a writer
/// cannot file a payload under another kind's name, and <see cref="JournalEventKinds"/> finds every kind from
/// the types alone. Payloads are serialized with camelCase names (<see cref="SqliteJournal"/>): a record's
/// property names are the wire's field names.
/// </summary>
public interface IJournalPayload
{
    /// <summary>The name stored in the journal's <c>event</c> column (and covered by the hash chain).</summary>
    static abstract string EventName { get; }

    /// <summary>Whether the event tells the story of one cutover or of the wave around it.</summary>
    static abstract JournalEventScope Scope { get; }
}
