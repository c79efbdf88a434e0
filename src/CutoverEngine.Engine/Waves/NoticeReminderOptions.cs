namespace CutoverEngine.Engine.Waves;

/// <summary>The reminder before a scheduled window (section "Waves:Notice:Reminder"); sent only with a relay
/// configured.</summary>
public sealed class NoticeReminderOptions
{
    public const string SectionName = "Waves:Notice:Reminder";

    /// <summary>How long before the wave's start the customers are reminded. Default 48 h.</summary>
    public TimeSpan Lead { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long a reminder the relay refused waits (durably) before it is tried again, until the wave's
    /// start. Default 5 min.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(5);
}
