using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Audit;

/// <summary>One event of the append-only journal. Hash chains the entry to its predecessor.</summary>
public sealed record JournalEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>API key name, CLI user, or "scheduler".</summary>
    public string Actor { get; init; } = "";

    /// <summary>The kind's wire name (<see cref="JournalEventKinds"/>), e.g. step-started, aws-attempt.</summary>
    public string Event { get; init; } = "";
    public string? Wave { get; init; }
    public string? Environment { get; init; }
    public string? WorkflowInstance { get; init; }
    public string? DefinitionId { get; init; }
    public int? DefinitionVersion { get; init; }
    public string? DefinitionHash { get; init; }
    public string? Step { get; init; }

    /// <summary>Event details as JSON (secrets are never put here); null once pruned by retention.</summary>
    public string? Payload { get; init; }
    public string PayloadHash { get; init; } = "";
    public string PreviousHash { get; init; } = "";
    public string Hash { get; init; } = "";
}

/// <summary>What a writer supplies; the journal assigns sequence, time and hashes.</summary>
public sealed record JournalEvent(string Event, string Actor)
{
    /// <summary>An event of the kind <typeparamref name="TPayload"/> declares (<see
    /// cref="JournalEventKinds"/>).</summary>
    public static JournalEvent Of<TPayload>(TPayload payload, string actor)
        where TPayload : IJournalPayload => new(TPayload.EventName, actor) { Payload = payload };

    /// <summary>This event filed where <paramref name="entry"/> is: its wave, environment, workflow instance,
    /// definition and step (an answer to the entry, e.g. a retry of a held step).</summary>
    public JournalEvent FiledWith(JournalEntry entry) =>
        this with
        {
            Wave = entry.Wave,
            Environment = entry.Environment,
            WorkflowInstance = entry.WorkflowInstance,
            DefinitionId = entry.DefinitionId,
            DefinitionVersion = entry.DefinitionVersion,
            DefinitionHash = entry.DefinitionHash,
            Step = entry.Step,
        };

    public string? Wave { get; init; }
    public string? Environment { get; init; }
    public string? WorkflowInstance { get; init; }
    public string? DefinitionId { get; init; }
    public int? DefinitionVersion { get; init; }
    public string? DefinitionHash { get; init; }
    public string? Step { get; init; }
    public object? Payload { get; init; }
}

public sealed record JournalQuery
{
    public string? Wave { get; init; }
    public string? Environment { get; init; }
    public string? WorkflowInstance { get; init; }
    public long AfterSequence { get; init; }
    public int Limit { get; init; } = 100_000;
}
