namespace CutoverEngine.Domain.Inventory;

/// <summary>An AWS account that environments are cut over into.</summary>
/// <param name="Id">The 12-digit account id, kept as text (leading zeros matter).</param>
/// <param name="Name">A label for people (logs, reports).</param>
/// <param name="Region">The account's default region for its environments.</param>
/// <param name="Profile">The AWS profile whose credentials reach this account, or null for the default chain.</param>
public sealed record AwsAccount(string Id, string Name, string Region, string? Profile);
