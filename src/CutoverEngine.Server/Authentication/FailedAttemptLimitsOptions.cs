namespace CutoverEngine.Server.Authentication;

/// <summary>The limits on failed authentication (section "Serve:Limits"). Every default is the one stated.</summary>
public sealed class FailedAttemptLimitsOptions
{
    public const string SectionName = "Serve:Limits";

    /// <summary>Failed logins or API-key attempts allowed per client address, and per key presented, within
    /// <see cref="Window"/>; the next attempt is answered 429. Default 10.</summary>
    public int FailedAttempts { get; set; } = 10;

    /// <summary>How far back failures count (sliding). Default 5 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws naming the setting when a value is unusable; serve refuses to start.</summary>
    public FailedAttemptLimitsOptions Validate()
    {
        if (FailedAttempts < 1)
            throw new InvalidOperationException(
                $"{SectionName}:FailedAttempts must be at least 1 (got {FailedAttempts})."
            );
        if (Window <= TimeSpan.Zero)
            throw new InvalidOperationException($"{SectionName}:Window must be positive (got {Window}).");
        return this;
    }
}
