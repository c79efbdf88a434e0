namespace CutoverEngine.Domain.Waves;

/// <summary>What to do with a scheduled wave when the host starts (or re-reads the schedule).</summary>
public enum StartupAction
{
    /// <summary>Not due yet: arm the trigger for its time.</summary>
    Wait,

    /// <summary>Due now, or fell due while the host was down but within the grace period: start it.</summary>
    StartNow,

    /// <summary>Fell due longer ago than the grace period: mark it missed and report it; never start late
    /// silently.</summary>
    Missed,
}

/// <summary>Scheduler settings (section "Waves:Schedule"). Default grace period 15 minutes, blocked retry 1
/// minute.</summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Waves:Schedule";

    /// <summary>How late a schedule may still start after the host was down at its due time. Default 15 min.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a due wave that may not start yet (approvals missing) is tried again within the grace
    /// period. Default 1 min.</summary>
    public TimeSpan BlockedRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public static class ScheduleDecision
{
    public static StartupAction Decide(DateTimeOffset scheduledFor, DateTimeOffset now, TimeSpan gracePeriod)
    {
        if (now < scheduledFor)
            return StartupAction.Wait;
        return now - scheduledFor <= gracePeriod ? StartupAction.StartNow : StartupAction.Missed;
    }
}
