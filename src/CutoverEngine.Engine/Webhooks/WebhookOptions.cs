namespace CutoverEngine.Engine.Webhooks;

/// <summary>Signed webhooks (section "Webhooks"). Every default is the one stated.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Where events go. Default none: no dispatcher runs.</summary>
    public List<WebhookReceiverOptions> Receivers { get; set; } = [];

    /// <summary>
    /// How long one event is retried, counted from its first attempt, before the dispatcher gives up on it and moves
    /// on. Default 10 min: a receiver restarting or a chat service's blip is outlasted, while a receiver that is gone
    /// holds its later events up for a bounded time only.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Delay before the second attempt; doubled for each further one. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two attempts. Default 1 min.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An attempt the receiver has not answered within this fails. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle dispatcher looks for new journal entries. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On shutdown, how long the dispatcher keeps delivering what the journal holds (a `cutover run` ends right after
    /// its wave). Default 5 s; what is left is delivered by the next engine started on the same database.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem of these settings, naming the setting; empty when usable.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in Durations())
            if (value <= TimeSpan.Zero)
                yield return $"{SectionName}:{name}: must be positive, not {value}";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Receivers.Count; i++)
        {
            var at = $"{SectionName}:Receivers:{i}";
            foreach (var problem in Receivers[i].Validate(at))
                yield return problem;
            if (!string.IsNullOrWhiteSpace(Receivers[i].Name) && !names.Add(Receivers[i].Name))
                yield return $"{at}:Name: '{Receivers[i].Name}' names another receiver too; names must be unique";
        }
    }

    IEnumerable<(string, TimeSpan)> Durations() =>
        [
            (nameof(RetryFor), RetryFor),
            (nameof(RetryBaseDelay), RetryBaseDelay),
            (nameof(RetryMaxDelay), RetryMaxDelay),
            (nameof(AttemptTimeout), AttemptTimeout),
            (nameof(PollInterval), PollInterval),
            (nameof(DrainTimeout), DrainTimeout),
        ];
}
