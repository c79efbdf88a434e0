using System.Collections.Frozen;
using System.Reflection;
using CutoverEngine.Engine.Cutovers;

namespace CutoverEngine.Engine.Definitions;

/// <summary>
/// The step kinds definitions may name: every <see cref="CutoverStep"/> class carrying a
/// <see cref="CutoverStepKindAttribute"/>, found in the engine's assembly (and any other named at start-up).
/// </summary>
public sealed class StepKindCatalog
{
    readonly FrozenDictionary<string, StepKindDescriptor> _byName;

    StepKindCatalog(IReadOnlyList<StepKindDescriptor> kinds)
    {
        All = kinds;
        _byName = kinds.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);
    }

    /// <summary>The engine's own step kinds.</summary>
    public static StepKindCatalog Engine { get; } = Discover(typeof(StepKindCatalog).Assembly);

    /// <summary>
    /// In the order definitions usually place them: the forward safety order first, then by name. Drives the order
    /// of the loader's "allowed" lists and of its checks.
    /// </summary>
    public IReadOnlyList<StepKindDescriptor> All { get; }

    public StepKindDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    public StepKindDescriptor Get(string name) =>
        Find(name)
        ?? throw new KeyNotFoundException(
            $"no step kind '{name}' (known: {string.Join(", ", All.Select(k => k.Name))})"
        );

    /// <summary>The engine's kinds plus those in <paramref name="assemblies"/> (e.g. a test project's).</summary>
    public static StepKindCatalog WithEngineAnd(params Assembly[] assemblies) =>
        Discover([typeof(StepKindCatalog).Assembly, .. assemblies]);

    public static StepKindCatalog Discover(params Assembly[] assemblies)
    {
        var kinds = new List<StepKindDescriptor>();
        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (type.GetCustomAttribute<CutoverStepKindAttribute>() is not { } declaration)
                continue;
            if (type.IsAbstract || !typeof(CutoverStep).IsAssignableFrom(type))
                throw new InvalidOperationException(
                    $"{type.FullName} declares step kind '{declaration.Name}' but is not a concrete CutoverStep"
                );
            kinds.Add(new StepKindDescriptor(type, declaration));
        }
        foreach (var twice in kinds.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new InvalidOperationException(
                $"step kind '{twice.Key}' is declared by {string.Join(" and ", twice.Select(k => k.BodyType.FullName))}"
            );
        var known = kinds.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var kind in kinds)
        foreach (var other in kind.Declaration.After.Concat(kind.Declaration.Before).Where(o => !known.Contains(o)))
            throw new InvalidOperationException(
                $"step kind '{kind.Name}' ({kind.BodyType.FullName}) is placed relative to '{other}', which no step declares"
            );
        return new StepKindCatalog([
            .. kinds
                .OrderBy(k => k.Declaration.ForwardOrder == 0 ? int.MaxValue : k.Declaration.ForwardOrder)
                .ThenBy(k => k.Name, StringComparer.Ordinal),
        ]);
    }
}
