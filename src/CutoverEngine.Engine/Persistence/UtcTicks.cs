namespace CutoverEngine.Engine.Persistence;

/// <summary>All times are stored as UTC ticks. Local times are converted; Unspecified is taken to be UTC
/// already.</summary>
internal static class UtcTicks
{
    public static long From(DateTime value) =>
        value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;

    public static long? From(DateTime? value) => value.HasValue ? From(value.Value) : null;

    public static DateTime ToDateTime(long ticks) => new(ticks, DateTimeKind.Utc);

    public static DateTime? ToDateTime(long? ticks) => ticks.HasValue ? ToDateTime(ticks.Value) : null;
}
