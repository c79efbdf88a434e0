namespace CutoverEngine.Engine.Definitions;

/// <summary>
/// Declares a class as the body of a step kind, and where definitions may place it. The engine finds its step
/// kinds by this attribute (<see cref="StepKindCatalog"/>): the definition loader's rules, WorkflowCore's step types
/// and the DI registrations all come from it, so a new kind is one class and one line in a definition.
/// </summary>
/// <param name="name">The kind's wire name: what a definition's <c>kind</c> says and the journal records.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CutoverStepKindAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>Where the kind may appear. Default both paths.</summary>
    public StepPaths Paths { get; set; } = StepPaths.Both;

    /// <summary>Where the kind must appear (once, on the forward path). Default nowhere.</summary>
    public StepPaths RequiredIn { get; set; } = StepPaths.None;

    /// <summary>
    /// Position in the forward path's safety order (nothing changes before the pause, nothing resumes before
    /// verification): every kind with a position must come after the kind with the next lower one. 0 (the default):
    /// not part of that order.
    /// </summary>
    public int ForwardOrder { get; set; }

    /// <summary>Kinds this one must come after, where both are in the same path.</summary>
    public string[] After { get; set; } = [];

    /// <summary>Kinds this one must come before, where both are in the same path.</summary>
    public string[] Before { get; set; } = [];

    /// <summary>Why <see cref="After"/> and <see cref="Before"/> hold, for the loader's message.</summary>
    public string? Because { get; set; }

    /// <summary>The kind must be the last step of its path.</summary>
    public bool Last { get; set; }

    /// <summary>The kind runs the checks a definition names (<c>checks</c>, at least one); other kinds take
    /// none.</summary>
    public bool TakesChecks { get; set; }
}
