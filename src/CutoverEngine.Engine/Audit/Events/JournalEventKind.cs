namespace CutoverEngine.Engine.Audit.Events;

/// <summary>One kind of journal event: its wire name, who it belongs to, and its payload type.</summary>
public sealed record JournalEventKind(string Name, JournalEventScope Scope, Type PayloadType);

/// <summary>Which history an event belongs to.</summary>
public enum JournalEventScope
{
    /// <summary>Part of one environment's cutover: its steps, checks, AWS attempts, downtime.</summary>
    Cutover,

    /// <summary>Part of the wave's own story: created, scheduled, started, notified, overridden, completed.</summary>
    Wave,
}
