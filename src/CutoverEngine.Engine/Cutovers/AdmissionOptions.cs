namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// Admission to the pause: a cutover reserves its account's quota for its mutating calls before it pauses, and pauses
/// just before its slot, so that waiting for the quota costs the customer no downtime.
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>Reserve before pausing. Default true; false pauses at once (the quota waits then count as
    /// downtime).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long before its slot a cutover pauses: the time pause-sending itself takes. Default 200
    /// ms.</summary>
    public TimeSpan Lead { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The earliest slot is this far ahead (after the lead), so that the cutovers of one zone asking at about the same
    /// moment share one slot and one batch. Default 500 ms (before the pause: no downtime).
    /// </summary>
    public TimeSpan GatherDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How much later than its zone's slot a cutover's EC2 share may come and still join the slot. Default 1
    /// s.</summary>
    public TimeSpan JoinTolerance { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after a cutover pauses its zone's batch waits for its change (siblings pausing together share
    /// a batch). Default 4 s.</summary>
    public TimeSpan SiblingWait { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>At most this long a cutover waits, before pausing, for its zone's PENDING change to be seen INSYNC.
    /// Default 10 s.</summary>
    public TimeSpan ZoneSettleWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Share of the account's Route 53 rate handed to admitted changes; the rest is for reads, confirmations
    /// and retries. Default 0.8.</summary>
    public double Route53Share { get; set; } = 0.8;

    /// <summary>Share of the account's EC2 mutating rate handed to admitted cutovers. Default 0.9.</summary>
    public double Ec2MutatingShare { get; set; } = 0.9;

    /// <summary>Share of the account's BYOIP advertise rate handed to admitted cutovers. Default 1 (the limiter's rate
    /// already keeps 5 % off AWS's).</summary>
    public double ByoipShare { get; set; } = 1.0;

    /// <summary>
    /// Waits longer than this are slept durably (WorkflowCore wakes the step up to its poll interval late), the last
    /// stretch is waited in the step. Default 3 s (above the engine's 2 s poll interval).
    /// </summary>
    public TimeSpan InStepWait { get; set; } = TimeSpan.FromSeconds(3);

    public IEnumerable<string> Validate(string where)
    {
        if (Lead < TimeSpan.Zero)
            yield return $"{where}:Lead must not be negative";
        if (GatherDelay < TimeSpan.Zero)
            yield return $"{where}:GatherDelay must not be negative";
        if (JoinTolerance < TimeSpan.Zero)
            yield return $"{where}:JoinTolerance must not be negative";
        if (SiblingWait < TimeSpan.Zero)
            yield return $"{where}:SiblingWait must not be negative";
        if (ZoneSettleWait < TimeSpan.Zero)
            yield return $"{where}:ZoneSettleWait must not be negative";
        foreach (
            var (name, share) in new[]
            {
                ("Route53Share", Route53Share),
                ("Ec2MutatingShare", Ec2MutatingShare),
                ("ByoipShare", ByoipShare),
            }
        )
            if (!(share > 0 && share <= 1))
                yield return $"{where}:{name} must be in (0, 1] (was {share})";
        if (InStepWait < TimeSpan.Zero)
            yield return $"{where}:InStepWait must not be negative";
    }
}
