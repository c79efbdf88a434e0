namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>
/// How the engine shares Route 53 work per hosted zone (section <c>Aws:Route53Zones</c>): one read of a zone serves
/// every cutover in it, and the changes of cutovers in one zone go out together. Every default is stated.
/// </summary>
public sealed class Route53ZoneOptions
{
    /// <summary>
    /// How old a zone read may be for the checks made before a pause (preflight, snapshot). Default 15 s: long enough
    /// that the cutovers of one customer's zone, which a wave starts together, share one ListResourceRecordSets; short
    /// enough that drift made by hand before the wave reached the zone is still seen. Drift made within those seconds
    /// is not: the accepted price for not spending the account's 5 requests/s on the same page over and over.
    /// </summary>
    public TimeSpan ReadMaxAge { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a change waits for other changes to the same zone before it goes out, when no cutover announced one.
    /// Default 5 ms: changes arriving together leave in one batch without delaying a lone change noticeably.
    /// </summary>
    public TimeSpan GatherWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How often GetChange is asked whether the zone's previous change is INSYNC while a batch waits for it (Route 53
    /// answers PriorRequestNotComplete until it is). Default 1 s. Usually a cutover watching the zone's name servers
    /// reports INSYNC first, and no GetChange is spent.
    /// </summary>
    public TimeSpan SettlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a zone nobody is using keeps the knowledge that its last change may still be PENDING, when nobody
    /// reports it INSYNC. Default 5 min (AWS says changes normally reach INSYNC within 60 s). After it the zone's state
    /// is dropped; were the change somehow still PENDING, the zone's next change meets PriorRequestNotComplete, which
    /// is retried like a throttle.
    /// </summary>
    public TimeSpan PendingChangeMemory { get; set; } = TimeSpan.FromMinutes(5);

    internal IEnumerable<string> Validate(string where)
    {
        if (ReadMaxAge < TimeSpan.Zero)
            yield return $"{where}:ReadMaxAge must not be negative";
        if (GatherWindow < TimeSpan.Zero || GatherWindow > TimeSpan.FromSeconds(10))
            yield return $"{where}:GatherWindow must be within 0..10 s";
        if (PendingChangeMemory < TimeSpan.Zero)
            yield return $"{where}:PendingChangeMemory must not be negative";
        if (SettlePollInterval < TimeSpan.FromMilliseconds(200))
            yield return $"{where}:SettlePollInterval must be at least 200 ms (Route 53 allows 5 requests/s per account)";
    }
}
