namespace CutoverEngine.Engine.Customers;

/// <summary>What one customer may see of the migration: its own environments, their windows and their measured
/// downtime; never another customer's environment, even one in the same wave.</summary>
public sealed record CustomerStatus(
    string CustomerId,
    string Customer,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<CustomerEnvironmentStatus> Environments
);

public sealed record CustomerEnvironmentStatus(
    string Id,
    string Tier,
    string SendingDomain,
    IReadOnlyList<CustomerWindow> Windows,
    CustomerCutover? LastCutover
);

/// <summary>A window of one environment in one wave, as the engine plans it (the rule the notices state).</summary>
public sealed record CustomerWindow(
    string Wave,
    string State,
    DateTimeOffset Opens,
    DateTimeOffset Closes,
    double BudgetMinutes,
    string Description
);

/// <summary>The environment's latest cutover as the journal records it; downtime measured by the engine, and each
/// other function of the instance that failed while sending was paused (the promise was that nothing else is
/// affected, so the customer sees it too).</summary>
public sealed record CustomerCutover(
    string? Wave,
    string Outcome,
    DateTimeOffset? PausedAt,
    DateTimeOffset? ResumedAt,
    double? DowntimeSeconds,
    double? WindowBudgetSeconds,
    IReadOnlyList<CustomerFunctionIncident> OtherFunctionsAffected
);

/// <summary>One other function that failed during the pause although it answered before it, at its first
/// failure.</summary>
public sealed record CustomerFunctionIncident(string Function, DateTimeOffset At);
