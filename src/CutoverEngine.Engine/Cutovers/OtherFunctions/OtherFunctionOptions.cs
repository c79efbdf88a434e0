namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>How the instance's other functions are probed during the pause (section
/// <c>Cutovers:OtherFunctions</c>).</summary>
public sealed class OtherFunctionOptions
{
    /// <summary>Time between two probes of each function while sending is paused. Default 5 s: a minute's pause gives
    /// a dozen points, and a probe round costs each function one request.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe may take before it counts as a failure. Default 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Problems with these settings, each naming its key.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (Interval < TimeSpan.FromMilliseconds(50))
            yield return $"{section}:Interval must be at least 50 ms";
        if (Timeout <= TimeSpan.Zero)
            yield return $"{section}:Timeout must be positive";
    }
}
