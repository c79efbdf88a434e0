namespace CutoverEngine.Engine.Definitions;

/// <summary>The paths of a definition a step kind may appear in (or must appear in).</summary>
[Flags]
public enum StepPaths
{
    None = 0,

    /// <summary>The <c>steps</c> array: the cutover itself.</summary>
    Forward = 1,

    /// <summary>The <c>rollback</c> array: what undoes it.</summary>
    Rollback = 2,
    Both = Forward | Rollback,
}
