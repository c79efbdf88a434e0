namespace CutoverEngine.Engine.Reports;

/// <summary>Durations in words and short forms, shared by the renderers.</summary>
public static class Duration
{
    /// <summary>"45 seconds", "1 minute", "31 minutes", "1 hour 5 minutes".</summary>
    public static string Plain(double seconds)
    {
        if (seconds < 60)
        {
            var s = (int)Math.Round(seconds);
            return s == 1 ? "1 second" : $"{s} seconds";
        }
        var minutes = (int)Math.Round(seconds / 60);
        if (minutes < 60)
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        var (h, m) = (minutes / 60, minutes % 60);
        var hours = h == 1 ? "1 hour" : $"{h} hours";
        return m == 0 ? hours : $"{hours} {(m == 1 ? "1 minute" : $"{m} minutes")}";
    }
}
