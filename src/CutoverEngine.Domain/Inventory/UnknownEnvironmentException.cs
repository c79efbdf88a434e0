namespace CutoverEngine.Domain.Inventory;

/// <summary>Some requested environment ids are not in the inventory; nothing was selected.</summary>
public sealed class UnknownEnvironmentException(IReadOnlyList<string> unknownIds, string message) : Exception(message)
{
    public IReadOnlyList<string> UnknownIds { get; } = unknownIds;
}
