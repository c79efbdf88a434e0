using System.Text;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Tests.Definitions;

/// <summary>Step kinds come from their classes: a new one is a file and a definition line.</summary>
public sealed class StepKindCatalogTests
{
    static readonly StepKindCatalog WithTestKinds = StepKindCatalog.WithEngineAnd(typeof(MarkCutoverWindow).Assembly);

    const string MarkLine = """{ "name": "mark-window", "kind": "MarkCutoverWindow", "timeoutSeconds": 10 },""";

    static string Shipped()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
            dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir!.FullName, "workflows", "cutover.v1.json"));
    }

    /// <summary>The shipped definition with one line added after the line naming <paramref
    /// name="afterStep"/>.</summary>
    static byte[] WithMarkAfter(string afterStep)
    {
        var lines = Shipped().Split('\n').ToList();
        var at = lines.FindIndex(l => l.Contains($"\"name\": \"{afterStep}\"", StringComparison.Ordinal));
        Assert.True(at >= 0, $"no step {afterStep} in the shipped definition");
        lines.Insert(at + 1, "    " + MarkLine);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    [Fact]
    public void A_step_kind_declared_in_another_assembly_loads_with_one_definition_line()
    {
        var definition = DefinitionLoader.Parse(WithMarkAfter("preflight"), "cutover.v1.json", WithTestKinds);

        var step = definition.Step("mark-window");
        Assert.Equal(nameof(MarkCutoverWindow), step.Kind);
        Assert.Equal(1, step.Index);
        Assert.Same(typeof(MarkCutoverWindow), WithTestKinds.Get(step.Kind).BodyType);
        // WorkflowCore runs it as the class's body.
        var workflow = DefinitionCatalog.Translate(
            definition,
            kind => WithTestKinds.Get(kind).BodyType,
            typeof(CutoverData)
        );
        Assert.Equal(typeof(MarkCutoverWindow), workflow.Steps.Single(s => s.Name == "mark-window").BodyType);
    }

    [Fact]
    public void The_placement_the_class_declares_is_enforced()
    {
        var e = Assert.Throws<DefinitionException>(() =>
            DefinitionLoader.Parse(WithMarkAfter("pause-sending"), "cutover.v1.json", WithTestKinds)
        );

        Assert.Contains(
            e.Problems,
            p =>
                p.Contains(
                    "$.steps[4].kind: MarkCutoverWindow must come after Preflight and before PauseSending (it marks the window before any downtime)"
                )
        );
    }

    [Fact]
    public void A_kind_the_engine_was_not_given_is_unknown()
    {
        var e = Assert.Throws<DefinitionException>(() =>
            DefinitionLoader.Parse(WithMarkAfter("preflight"), "cutover.v1.json")
        );

        Assert.Contains(e.Problems, p => p.Contains("unknown step kind 'MarkCutoverWindow'"));
    }

    [Fact]
    public void Every_engine_step_class_is_a_kind_named_after_itself()
    {
        var stepClasses = typeof(CutoverStep)
            .Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CutoverStep).IsAssignableFrom(t))
            .ToHashSet();

        Assert.Equal(stepClasses, StepKindCatalog.Engine.All.Select(k => k.BodyType).ToHashSet());
        Assert.All(StepKindCatalog.Engine.All, k => Assert.Equal(k.BodyType.Name, k.Name));
    }

    [Fact]
    public void Every_kind_the_shipped_definition_names_is_required_or_allowed_where_it_stands()
    {
        var definition = DefinitionLoader.Parse(Encoding.UTF8.GetBytes(Shipped()), "cutover.v1.json");

        Assert.All(
            definition.Steps,
            s => Assert.True(StepKindCatalog.Engine.Get(s.Kind).MayAppearIn(StepPaths.Forward), s.Kind)
        );
        Assert.All(
            definition.Rollback,
            s => Assert.True(StepKindCatalog.Engine.Get(s.Kind).MayAppearIn(StepPaths.Rollback), s.Kind)
        );
        Assert.All(
            StepKindCatalog.Engine.All.Where(k => k.IsRequiredIn(StepPaths.Forward)),
            k => Assert.Contains(definition.Steps, s => s.Kind == k.Name)
        );
        Assert.All(
            StepKindCatalog.Engine.All.Where(k => k.IsRequiredIn(StepPaths.Rollback)),
            k => Assert.Contains(definition.Rollback, s => s.Kind == k.Name)
        );
    }
}
