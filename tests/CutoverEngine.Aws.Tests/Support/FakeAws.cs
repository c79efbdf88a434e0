using System.Collections.Concurrent;

namespace CutoverEngine.Aws.Tests.Support;

/// <summary>
/// A tiny stateful AWS for stub tests: enough EC2 (addresses, reverse DNS, BYOIP ranges) and Route 53 to exercise every
/// gateway method, with scripted failures per action. Records the action of every request it receives.
/// </summary>
public sealed class FakeAws
{
    public sealed record Eip(string AllocationId, string PublicIp)
    {
        public string? AssociationId { get; set; }
        public string? InstanceId { get; set; }
        public string? Ptr { get; set; }
    }

    public ConcurrentDictionary<string, Eip> Addresses { get; } = new();
    public ConcurrentDictionary<string, string> Ranges { get; } = new();
    public ConcurrentQueue<string> Actions { get; } = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpResponseMessage>>> _failures = new();
    private int _sequence;

    public FakeAws()
    {
        Handler = new StubHandler((req, _) => Task.FromResult(Answer(req)));
        Addresses["eipalloc-1"] = new Eip("eipalloc-1", "198.51.100.1")
        {
            AssociationId = "eipassoc-1",
            InstanceId = "i-old",
        };
        Addresses["eipalloc-2"] = new Eip("eipalloc-2", "198.51.100.2");
        Ranges["203.0.113.0/24"] = "provisioned";
        Ranges["192.0.2.0/24"] = "advertised";
    }

    public StubHandler Handler { get; }

    /// <summary>The next <paramref name="times"/> requests for <paramref name="action"/> fail with <paramref
    /// name="failure"/>.</summary>
    public void FailNext(string action, int times, Func<HttpResponseMessage> failure)
    {
        var queue = _failures.GetOrAdd(action, _ => new ConcurrentQueue<Func<HttpResponseMessage>>());
        for (var i = 0; i < times; i++)
            queue.Enqueue(failure);
    }

    public int CountOf(string action) => Actions.Count(a => a == action);

    private HttpResponseMessage Answer(SeenRequest req)
    {
        var action = req.Ec2Action ?? Route53Action(req);
        Actions.Enqueue(action);
        if (_failures.TryGetValue(action, out var queue) && queue.TryDequeue(out var failure))
            return failure();
        var p = req.Ec2Action is null ? new Dictionary<string, string>() : Form(req.Body);
        return action switch
        {
            "DescribeAddresses" => Ec2Answer(
                action,
                "<addressesSet>"
                    + string.Concat(
                        Addresses
                            .Values.Where(a =>
                                !p.Any(kv => kv.Key.StartsWith("AllocationId.", StringComparison.Ordinal))
                                || p.ContainsValue(a.AllocationId)
                            )
                            .Select(a =>
                                $"<item><publicIp>{a.PublicIp}</publicIp><allocationId>{a.AllocationId}</allocationId><domain>vpc</domain>"
                                + (
                                    a.AssociationId is null
                                        ? ""
                                        : $"<associationId>{a.AssociationId}</associationId><instanceId>{a.InstanceId}</instanceId>"
                                )
                                + "</item>"
                            )
                    )
                    + "</addressesSet>"
            ),
            "AssociateAddress" => Associate(p),
            "DisassociateAddress" => Disassociate(p),
            "DescribeAddressesAttribute" => Ec2Answer(
                action,
                "<addressSet>"
                    + string.Concat(
                        Addresses
                            .Values.Where(a => p.ContainsValue(a.AllocationId))
                            .Select(a =>
                                $"<item><publicIp>{a.PublicIp}</publicIp><allocationId>{a.AllocationId}</allocationId>"
                                + (a.Ptr is null ? "" : $"<ptrRecord>{a.Ptr}</ptrRecord>")
                                + "</item>"
                            )
                    )
                    + "</addressSet>"
            ),
            "ModifyAddressAttribute" => ModifyPtr(p),
            "DescribeByoipCidrs" => Ec2Answer(
                action,
                "<byoipCidrSet>"
                    + string.Concat(Ranges.Select(r => $"<item><cidr>{r.Key}</cidr><state>{r.Value}</state></item>"))
                    + "</byoipCidrSet>"
            ),
            "AdvertiseByoipCidr" => SetRange(action, p["Cidr"], "pending-advertising"),
            "WithdrawByoipCidr" => SetRange(action, p["Cidr"], "pending-withdrawal"),
            "ListResourceRecordSets" => StubHandler.RecordSets(("mta1.acme.example.", "A", 60, ["192.0.2.10"])),
            "ChangeResourceRecordSets" => StubHandler.ChangeInfo("C1"),
            "GetChange" => StubHandler.ChangeInfo("C1", "INSYNC"),
            _ => StubHandler.Ec2Error(400, "InvalidAction", $"unknown action {action}"),
        };
    }

    private HttpResponseMessage Associate(Dictionary<string, string> p)
    {
        var eip = Addresses[p["AllocationId"]];
        eip.InstanceId = p.GetValueOrDefault("InstanceId");
        eip.AssociationId = $"eipassoc-n{Interlocked.Increment(ref _sequence)}";
        return Ec2Answer(
            "AssociateAddress",
            $"<return>true</return><associationId>{eip.AssociationId}</associationId>"
        );
    }

    private HttpResponseMessage Disassociate(Dictionary<string, string> p)
    {
        var eip = Addresses.Values.FirstOrDefault(a => a.AssociationId == p["AssociationId"]);
        if (eip is null)
            return StubHandler.Ec2Error(400, "InvalidAssociationID.NotFound", "The association ID does not exist");
        eip.AssociationId = null;
        eip.InstanceId = null;
        return Ec2Answer("DisassociateAddress", "<return>true</return>");
    }

    private HttpResponseMessage ModifyPtr(Dictionary<string, string> p)
    {
        var eip = Addresses[p["AllocationId"]];
        eip.Ptr = p["DomainName"];
        return Ec2Answer(
            "ModifyAddressAttribute",
            $"<address><publicIp>{eip.PublicIp}</publicIp><allocationId>{eip.AllocationId}</allocationId>"
                + $"<ptrRecordUpdate><value>{eip.Ptr}</value><status>PENDING</status></ptrRecordUpdate></address>"
        );
    }

    private HttpResponseMessage SetRange(string action, string cidr, string state)
    {
        Ranges[cidr] = state;
        return Ec2Answer(action, $"<byoipCidr><cidr>{cidr}</cidr><state>{state}</state></byoipCidr>");
    }

    private static HttpResponseMessage Ec2Answer(string action, string inner) => StubHandler.Ec2(action, inner);

    private static string Route53Action(SeenRequest req)
    {
        var path = req.Uri.AbsolutePath;
        return (req.Method.Method, path) switch
        {
            ("POST", _) when path.EndsWith("/rrset/", StringComparison.Ordinal) => "ChangeResourceRecordSets",
            ("GET", _) when path.EndsWith("/rrset", StringComparison.Ordinal) => "ListResourceRecordSets",
            ("GET", _) when path.Contains("/change/", StringComparison.Ordinal) => "GetChange",
            _ => "UnknownRoute53",
        };
    }

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2))
            .ToDictionary(
                kv => Uri.UnescapeDataString(kv[0]),
                kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : ""
            );
}
