namespace CutoverEngine.Engine.Definitions;

/// <summary>A loaded, validated workflow definition (workflows/&lt;id&gt;.v&lt;version&gt;.json).</summary>
public sealed record CutoverDefinition(
    string Id,
    int Version,
    string Description,
    TimeSpan WindowBudget,
    TimeSpan PauseLease,
    double LeaseRenewalFraction,
    IReadOnlyList<StepDefinition> Steps,
    IReadOnlyList<StepDefinition> Rollback,
    string ContentHash,
    string SourcePath
)
{
    public IEnumerable<StepDefinition> AllSteps => Steps.Concat(Rollback);

    public StepDefinition Step(string name) =>
        AllSteps.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"definition {Id} v{Version} has no step named '{name}'");
}

/// <summary>One step: its name, kind, budget (timeout and attempts), poll interval for durable waits, and
/// checks.</summary>
/// <param name="Kind">The step kind's wire name (<see cref="StepKindCatalog"/>).</param>
public sealed record StepDefinition(
    string Name,
    string Kind,
    TimeSpan Timeout,
    int Attempts,
    TimeSpan? PollInterval,
    IReadOnlyList<string> Checks,
    bool IsRollback,
    int Index
);

/// <summary>Verification checks a Verify step may name.</summary>
public static class CheckNames
{
    public const string AuthoritativeDns = "authoritative-dns";
    public const string ForwardConfirmedReverseDns = "forward-confirmed-reverse-dns";
    public const string SmtpBanner = "smtp-banner";
    public const string Spf = "spf";
    public const string TestMessage = "test-message";

    public static readonly IReadOnlyList<string> All =
    [
        AuthoritativeDns,
        ForwardConfirmedReverseDns,
        SmtpBanner,
        Spf,
        TestMessage,
    ];
}

/// <summary>A definition file that cannot be used; the message lists every problem with file, line, column and JSON
/// path.</summary>
public sealed class DefinitionException(IReadOnlyList<string> problems)
    : Exception("Invalid workflow definition:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
