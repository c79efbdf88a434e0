namespace CutoverEngine.Domain.Waves;

/// <summary>Lower-case wire names of the wave enums, and their parsing.</summary>
public static class WaveNames
{
    public static string Of(WaveState state) => state.ToString().ToLowerInvariant();

    public static string Of(WaveOrder order) => order.ToString().ToLowerInvariant();

    public static WaveState ParseState(string text) =>
        Enum.TryParse<WaveState>(text, ignoreCase: true, out var s) && !int.TryParse(text, out _)
            ? s
            : throw new FormatException($"Unknown wave state '{text}'.");

    public static WaveOrder ParseOrder(string text) =>
        Enum.TryParse<WaveOrder>(text, ignoreCase: true, out var o) && !int.TryParse(text, out _)
            ? o
            : throw new FormatException($"Unknown wave order '{text}': use tier or explicit.");
}
