using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Engine.Preparation;

/// <summary>Which environments a wave may start only once prepared and ready (<see
/// cref="PrepareOptions.Required"/>).</summary>
public enum PrepareRequirement
{
    /// <summary>Production environments only (the default): a rehearsal on development or staging need not wait
    /// days for TTLs.</summary>
    Production,

    /// <summary>Every environment.</summary>
    All,

    /// <summary>None: prepare is advice only.</summary>
    None,
}

/// <summary>Preparing a wave's environments before their window (section "Waves:Prepare").</summary>
public sealed class PrepareOptions
{
    public const string SectionName = "Waves:Prepare";

    /// <summary>The TTL every record the cutover changes is lowered to. Default 60 s.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long before a scheduled wave's planned start prepare runs by itself; never less than twice the
    /// largest TTL it lowers (<see cref="TtlElapsedRule.Lead"/>). Default 72 h.</summary>
    public TimeSpan Lead { get; set; } = TimeSpan.FromHours(72);

    /// <summary>DNS blocklist zones the new addresses are looked up on. Default zen.spamhaus.org. An array, so that
    /// configured zones replace the default instead of joining it.</summary>
    public string[] Blocklists { get; set; } = ["zen.spamhaus.org"];

    /// <summary>Which environments must be prepared and ready before their wave starts. Default production.</summary>
    public PrepareRequirement Required { get; set; } = PrepareRequirement.Production;

    /// <summary>The longest SPF record prepare writes. Default 450 characters (<see
    /// cref="SpfAuthorisation.DefaultMaxLength"/>).</summary>
    public int SpfMaxLength { get; set; } = SpfAuthorisation.DefaultMaxLength;

    /// <summary>How long a prepare step waits before it tries again after a failure (AWS or DNS unreachable, the
    /// record changed meanwhile). Default 10 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether <paramref name="environment"/>'s wave may start only once it is prepared and ready.</summary>
    public bool IsRequiredFor(CutoverEnvironment environment) =>
        Required switch
        {
            PrepareRequirement.All => true,
            PrepareRequirement.Production => environment.Tier == Tier.Production,
            _ => false,
        };
}
