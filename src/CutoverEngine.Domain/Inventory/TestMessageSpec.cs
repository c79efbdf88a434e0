namespace CutoverEngine.Domain.Inventory;

/// <summary>The envelope of the optional test message sent through the new MTAs during verification.</summary>
public sealed record TestMessageSpec(string From, string To);
