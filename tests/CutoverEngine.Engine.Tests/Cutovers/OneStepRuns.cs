using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>A cutover's context at one step of a one-step definition, for tests of what a step's helpers do
/// without a workflow around them.</summary>
internal static class OneStepRuns
{
    /// <param name="index">The step's place in the real definition (journal entries carry it).</param>
    /// <param name="pauseLease">The definition's pause lease.</param>
    public static CutoverContext At(
        string name,
        string kind,
        TimeSpan timeout,
        int index,
        TimeSpan pauseLease,
        CutoverData data
    )
    {
        var step = new StepDefinition(name, kind, timeout, 1, null, [], false, index);
        var definition = new CutoverDefinition(
            "cutover",
            1,
            "",
            TimeSpan.FromMinutes(60),
            pauseLease,
            0.5,
            [step],
            [],
            "hash",
            "cutover.v1.json"
        );
        return new CutoverContext("wf-1", data, definition, step);
    }
}
