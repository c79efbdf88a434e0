using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>The announced notice periods (section "Waves:Notice"). Defaults: 7 days for development and staging, 30
/// days for production.</summary>
public sealed class NoticePolicyOptions
{
    public const string SectionName = "Waves:Notice";

    public TimeSpan DevelopmentNotice { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan StagingNotice { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan ProductionNotice { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan For(Tier tier) =>
        tier switch
        {
            Tier.Development => DevelopmentNotice,
            Tier.Staging => StagingNotice,
            Tier.Production => ProductionNotice,
            _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
        };
}
