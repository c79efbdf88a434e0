using CutoverEngine.Domain.Inventory;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// What one cutover moves, copied from the inventory when the cutover starts. Plain strings so that the
/// workflow's stored data never depends on how the inventory was parsed, and a replay after a crash works on
/// exactly the facts the cutover started with.
/// </summary>
public sealed class CutoverSubject
{
    public string EnvironmentId { get; set; } = "";
    public string Customer { get; set; } = "";
    public string Tier { get; set; } = "";
    public string Offering { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Region { get; set; } = "";
    public string HostedZoneId { get; set; } = "";
    public string HostedZoneName { get; set; } = "";
    public string SendingDomain { get; set; } = "";
    public string SendingControl { get; set; } = "";

    /// <summary>For a sending-control agent: where its token comes from and the CA to trust (never the
    /// token).</summary>
    public SendingControlCredentials? SendingControlAuth { get; set; }

    /// <summary>elastic-ip or byoip.</summary>
    public string IpStrategy { get; set; } = "";
    public string? ByoipCidr { get; set; }
    public double? WindowBudgetMinutes { get; set; }
    public List<SubjectHost> MtaHosts { get; set; } = [];
    public string? TestMessageFrom { get; set; }
    public string? TestMessageTo { get; set; }

    /// <summary>The inventory's rangeGroup: the environments of the group move in this one cutover
    /// (<see cref="CutoverData.Companions"/>); null when the environment moves alone.</summary>
    public string? RangeGroup { get; set; }

    /// <summary>The inventory's otherFunctions, probed before and during the pause.</summary>
    public List<SubjectOtherFunction> OtherFunctions { get; set; } = [];

    public bool IsByoip => IpStrategy == "byoip";

    /// <summary>The control URL with, for an agent, where its token and CA come from (never the token).</summary>
    public static SendingControlAddress ControlAddress(CutoverEnvironment e) => new(e.SendingControl, Credentials(e));

    /// <summary>The address the steps call, from the facts the cutover started with.</summary>
    public SendingControlAddress ToControlAddress() => new(new Uri(SendingControl), SendingControlAuth);

    static SendingControlCredentials? Credentials(CutoverEnvironment e) =>
        e.SendingControlAuth is { } a ? new(a.TokenEnv, a.TokenFile, a.CaCertificate) : null;

    public static CutoverSubject From(CutoverEnvironment e) =>
        new()
        {
            EnvironmentId = e.Id,
            Customer = e.Customer,
            Tier = e.Tier.ToWireName(),
            Offering = e.Offering.ToWireName(),
            AccountId = e.Account.Id,
            Region = e.Region,
            HostedZoneId = e.HostedZone.Id,
            HostedZoneName = e.HostedZone.Name,
            SendingDomain = e.SendingDomain,
            SendingControl = e.SendingControl.ToString(),
            SendingControlAuth = Credentials(e),
            IpStrategy = e.IpStrategy.ToWireName(),
            ByoipCidr = e.ByoipCidr?.ToString(),
            RangeGroup = e.RangeGroup,
            WindowBudgetMinutes = e.WindowBudget?.TotalMinutes,
            MtaHosts =
            [
                .. e.MtaHosts.Select(h => new SubjectHost
                {
                    Name = h.Name,
                    CurrentAddress = h.CurrentAddress.ToString(),
                    TargetAddress = h.Target.Address.ToString(),
                    InstanceId = h.Target.InstanceId,
                    AllocationId = h.Target.AllocationId,
                    EhloName = h.Target.EhloName,
                }),
            ],
            TestMessageFrom = e.TestMessage?.From,
            TestMessageTo = e.TestMessage?.To,
            OtherFunctions =
            [
                .. e.OtherFunctions.Select(f => new SubjectOtherFunction
                {
                    Name = f.Name,
                    Url = f.Url?.ToString(),
                    ExpectedStatus = f.ExpectedStatus,
                    TcpHost = f.TcpHost,
                    TcpPort = f.TcpPort,
                }),
            ],
        };
}

public sealed class SubjectHost
{
    public string Name { get; set; } = "";
    public string CurrentAddress { get; set; } = "";
    public string TargetAddress { get; set; } = "";
    public string InstanceId { get; set; } = "";
    public string? AllocationId { get; set; }
    public string EhloName { get; set; } = "";
}

/// <summary>One of the environment's other functions: an HTTP(S) URL with its expected status, or a TCP
/// host:port.</summary>
public sealed class SubjectOtherFunction
{
    public string Name { get; set; } = "";
    public string? Url { get; set; }
    public int ExpectedStatus { get; set; }
    public string? TcpHost { get; set; }
    public int TcpPort { get; set; }
}
