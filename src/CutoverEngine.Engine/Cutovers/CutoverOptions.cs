namespace CutoverEngine.Engine.Cutovers;

/// <summary>How cutovers pace and watch (section <c>Cutovers</c>). Every default is stated.</summary>
public sealed class CutoverOptions
{
    public const string SectionName = "Cutovers";

    /// <summary>Admission to the pause. Defaults in <see cref="AdmissionOptions"/>.</summary>
    public AdmissionOptions Admission { get; set; } = new();

    /// <summary>
    /// How often a step that waits for the outside world (DNS on the zone's name servers, a BYOIP range's state, the
    /// verification checks) looks again within its step run. Default 100 ms: the looks are loopback-cheap DNS queries
    /// or describes on the generous EC2 describe quota, and every look saved is customer downtime saved.
    /// </summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a step watches within one run before it waits durably (WorkflowCore sleeps it and runs it again, which
    /// survives a restart). Default 10 s: most waits (INSYNC, BGP propagation) end within it.
    /// </summary>
    public TimeSpan WatchWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a BYOIP range's state is described while waiting for BGP. Default 500 ms (2 describes/s of
    /// the account's 20/s; each costs CPU on both ends).</summary>
    public TimeSpan ByoipWatchInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Probes of the instance's other functions during the pause. Defaults in <see
    /// cref="OtherFunctions.OtherFunctionOptions"/>.</summary>
    public OtherFunctions.OtherFunctionOptions OtherFunctions { get; set; } = new();

    /// <summary>A rollback that could not restore. Defaults in <see cref="RollbackFailureOptions"/>.</summary>
    public RollbackFailureOptions RollbackFailure { get; set; } = new();

    /// <summary>Problems with these settings, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (WatchInterval < TimeSpan.FromMilliseconds(10))
            yield return $"{SectionName}:WatchInterval must be at least 10 ms";
        if (WatchWindow < TimeSpan.Zero)
            yield return $"{SectionName}:WatchWindow must not be negative";
        if (ByoipWatchInterval < TimeSpan.FromMilliseconds(100))
            yield return $"{SectionName}:ByoipWatchInterval must be at least 100 ms";
        foreach (var p in Admission.Validate($"{SectionName}:Admission"))
            yield return p;
        foreach (var p in OtherFunctions.Validate($"{SectionName}:OtherFunctions"))
            yield return p;
        foreach (var p in RollbackFailure.Validate($"{SectionName}:RollbackFailure"))
            yield return p;
    }
}
