namespace CutoverEngine.Engine.Definitions;

/// <summary>One step kind as its class declares it (<see cref="CutoverStepKindAttribute"/>), with its body
/// type.</summary>
public sealed record StepKindDescriptor(Type BodyType, CutoverStepKindAttribute Declaration)
{
    public string Name => Declaration.Name;

    public bool MayAppearIn(StepPaths path) => Declaration.Paths.HasFlag(path);

    public bool IsRequiredIn(StepPaths path) => Declaration.RequiredIn.HasFlag(path);
}
