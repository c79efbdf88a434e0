namespace CutoverEngine.Engine.Finalisation;

/// <summary>Finalising a wave's cutovers after their soak (section "Waves:Finalise").</summary>
public sealed class FinaliseOptions
{
    public const string SectionName = "Waves:Finalise";

    /// <summary>How long a completed cutover soaks, revertible, before finalise may run: counted from the
    /// cutover's completion. Default 7 days.</summary>
    public TimeSpan Soak { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether a completed wave finalises by itself once each cutover's soak is over. Default true.</summary>
    public bool Automatic { get; set; } = true;

    /// <summary>How often an automatic finalise looks again at environments it could not finalise yet (the range
    /// still announced from the data centre, the record changed meanwhile). Default 6 h.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long the automatic finalise waits before it tries again after a failure (AWS or the looking
    /// glass unreachable, a record changed meanwhile). Default 30 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The RIPEstat-compatible service that says who announces a BYOIP range. Default
    /// https://stat.ripe.net/ (the sandbox points it at its looking glass).</summary>
    public Uri RouteLookingGlass { get; set; } = new("https://stat.ripe.net/");

    /// <summary>The origin ASes that are AWS: a BYOIP range announced by any other is still announced from the data
    /// centre. Default 16509 and 14618 (Amazon). An array, so configured values replace the default.</summary>
    public long[] AwsAsns { get; set; } = [16509, 14618];

    /// <summary>The widest IPv4 network finalise takes out of an SPF record by itself (it must cover an old address
    /// and none still in use); a wider one is left in place and reported. Default 24.</summary>
    public int SpfWidestPrefix { get; set; } = 24;
}
