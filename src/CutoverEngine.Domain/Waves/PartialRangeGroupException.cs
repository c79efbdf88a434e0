namespace CutoverEngine.Domain.Waves;

/// <summary>A wave or run holds only part of a range group (<see cref="RangeGroupRule"/>); nothing was
/// changed.</summary>
public sealed class PartialRangeGroupException(string what, IReadOnlyList<string> problems)
    : InvalidOperationException($"Refused {what}: {string.Join("; ", problems)}. Nothing was changed.")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
