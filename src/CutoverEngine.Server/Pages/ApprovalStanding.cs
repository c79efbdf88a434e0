namespace CutoverEngine.Server.Pages;

/// <summary>Where a wave's approvals stand, as its page shows them.</summary>
public sealed record ApprovalStanding(int Valid, int Required, IReadOnlyList<string> Missing);
