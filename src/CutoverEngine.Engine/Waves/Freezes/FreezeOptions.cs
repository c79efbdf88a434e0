namespace CutoverEngine.Engine.Waves.Freezes;

/// <summary>The change-freeze calendar (section "Waves:Freezes").</summary>
public sealed class FreezeOptions
{
    public const string SectionName = "Waves:Freezes";

    /// <summary>The calendar's YAML file (docs/freezes.md), relative to the working directory. Default none: no
    /// freezes. Once set, a calendar that is missing or invalid refuses every schedule and start (fail closed: the
    /// freeze it cannot read may be the one that matters).</summary>
    public string? File { get; set; }
}
