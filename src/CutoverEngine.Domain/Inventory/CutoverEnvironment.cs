using System.Net;

namespace CutoverEngine.Domain.Inventory;

/// <summary>A customer environment to cut over: one unit of pause, repoint, verify, resume.</summary>
/// <param name="Id">Unique id ([a-z0-9-], at most 63 characters); used on the command line and in the journal.</param>
/// <param name="Customer">The customer's name, for people.</param>
/// <param name="Account">The AWS account the environment moves into.</param>
/// <param name="Region">The AWS region; the account's region unless the inventory overrides it.</param>
/// <param name="HostedZone">The Route 53 zone holding the MTA host names.</param>
/// <param name="SendingDomain">The domain whose SPF record must cover the sending addresses.</param>
/// <param name="SendingControl">The endpoint that pauses and resumes the environment's sending.</param>
/// <param name="ByoipCidr">The customer's address range for <see cref="IpStrategy.Byoip"/>; null for Elastic
/// IPs.</param>
/// <param name="WindowBudget">An override of the allowed downtime; null means the policy's default.</param>
/// <param name="MtaHosts">At least one host.</param>
/// <param name="TestMessage">The test message to send during verification; null to send none.</param>
public sealed record CutoverEnvironment(
    string Id,
    string Customer,
    Tier Tier,
    Offering Offering,
    AwsAccount Account,
    string Region,
    HostedZoneRef HostedZone,
    string SendingDomain,
    Uri SendingControl,
    IpStrategy IpStrategy,
    IPNetwork? ByoipCidr,
    TimeSpan? WindowBudget,
    IReadOnlyList<MtaHost> MtaHosts,
    TestMessageSpec? TestMessage
)
{
    /// <summary>
    /// Who receives the notices: the environment's own contacts, else its customer's (inventory `customers:`);
    /// empty when the inventory names nobody, and then no notice can be sent.
    /// </summary>
    public IReadOnlyList<NoticeContact> Contacts { get; init; } = [];

    /// <summary>Token source and CA for a sending-control agent; null for the sandbox's unauthenticated
    /// control.</summary>
    public SendingControlAuth? SendingControlAuth { get; init; }

    /// <summary>
    /// The inventory's `rangeGroup`: the name shared by the environments whose BYOIP ranges overlap and which
    /// therefore move as one (<see cref="RangeGroup"/>); null for an environment that moves alone.
    /// </summary>
    public string? RangeGroup { get; init; }

    /// <summary>The inventory's `otherFunctions`: probed during every pause; empty when none are named.</summary>
    public IReadOnlyList<OtherFunction> OtherFunctions { get; init; } = [];
}
