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

/// <summary>The environment's latest cutover as the journal records it; downtime measured by the engine.</summary>
public sealed record CustomerCutover(
    string? Wave,
    string Outcome,
    DateTimeOffset? PausedAt,
    DateTimeOffset? ResumedAt,
    double? DowntimeSeconds,
    double? WindowBudgetSeconds
);
