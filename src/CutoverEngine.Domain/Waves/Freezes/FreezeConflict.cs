namespace CutoverEngine.Domain.Waves.Freezes;

/// <summary>One environment's window overlapping one change freeze that holds for its customer.</summary>
public sealed record FreezeConflict(ChangeFreeze Freeze, EnvironmentWindow Window)
{
    public string Message =>
        $"{Window.Environment.Id} ({Window.Environment.Customer}): its window, {Window.Describe()}, overlaps change "
        + $"freeze {Freeze.Describe()}";

    /// <summary>As the policy reports it (rule <see cref="FreezeRule.RuleName"/>): an override reason may waive
    /// it, and for a wave that needs approvals the approvals are then needed again.</summary>
    public PolicyViolation ToViolation() => new(Window.Environment.Id, FreezeRule.RuleName, Message);
}
