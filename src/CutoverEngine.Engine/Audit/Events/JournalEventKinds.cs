using System.Collections.Frozen;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The catalogue of journal event kinds: every <see cref="IJournalPayload"/> type of the engine is one kind.
/// Writers name a kind by its payload type (<see cref="JournalEvent.Of{TPayload}"/>); readers match the payload
/// types' <c>Event</c> constants, and look unknown names up here.
/// </summary>
public static class JournalEventKinds
{
    /// <summary>Every kind, ordered by name.</summary>
    public static IReadOnlyList<JournalEventKind> All { get; } =
    [
        .. typeof(IJournalPayload)
            .Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IJournalPayload).IsAssignableFrom(t))
            .Select(KindOf)
            .OrderBy(k => k.Name, StringComparer.Ordinal),
    ];

    static readonly FrozenDictionary<string, JournalEventKind> ByName = All.ToFrozenDictionary(
        k => k.Name,
        StringComparer.Ordinal
    );

    /// <summary>The kind stored under <paramref name="name"/>, or null for a name the engine does not write.</summary>
    public static JournalEventKind? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The kinds that belong to the wave's own story (shown as wave events, not per environment).</summary>
    public static IReadOnlySet<string> WaveScoped { get; } =
        All.Where(k => k.Scope == JournalEventScope.Wave).Select(k => k.Name).ToFrozenSet(StringComparer.Ordinal);

    public static JournalEventKind Of<TPayload>()
        where TPayload : IJournalPayload => new(TPayload.EventName, TPayload.Scope, typeof(TPayload));

    static JournalEventKind KindOf(Type payload) =>
        (JournalEventKind)
            typeof(JournalEventKinds).GetMethod(nameof(Of))!.MakeGenericMethod(payload).Invoke(null, null)!;
}
