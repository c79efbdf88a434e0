using System.Xml.Linq;
using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// EC2 over the Query protocol (API version 2016-11-15): the Elastic IP, reverse DNS and BYOIP calls the engine
/// uses, answered from the shared <see cref="SandboxWorld"/> in the wire shapes of the botocore model, so the real
/// AWSSDK.EC2 client and the AWS CLI work against it unchanged.
/// </summary>
public sealed class Ec2Service(QuotaBook quotas) : IAwsService
{
    /// <summary>Which of the account's EC2 token buckets an operation draws from (AWS throttles per API
    /// family).</summary>
    enum Budget
    {
        Describe,
        Mutating,
        Byoip,
    }

    static readonly Dictionary<string, (Budget Budget, Func<Ec2Context, IEnumerable<XElement?>> Run)> Operations = new(
        StringComparer.Ordinal
    )
    {
        ["DescribeAddresses"] = (Budget.Describe, AddressOperations.Describe),
        ["AllocateAddress"] = (Budget.Mutating, AddressOperations.Allocate),
        ["AssociateAddress"] = (Budget.Mutating, AddressOperations.Associate),
        ["DisassociateAddress"] = (Budget.Mutating, AddressOperations.Disassociate),
        ["ReleaseAddress"] = (Budget.Mutating, AddressOperations.Release),
        ["ModifyAddressAttribute"] = (Budget.Mutating, AddressAttributeOperations.Modify),
        ["ResetAddressAttribute"] = (Budget.Mutating, AddressAttributeOperations.Reset),
        ["DescribeAddressesAttribute"] = (Budget.Describe, AddressAttributeOperations.Describe),
        ["AdvertiseByoipCidr"] = (Budget.Byoip, ByoipOperations.Advertise),
        ["WithdrawByoipCidr"] = (Budget.Byoip, ByoipOperations.Withdraw),
        ["DescribeByoipCidrs"] = (Budget.Describe, ByoipOperations.Describe),
        ["DescribeInstances"] = (Budget.Describe, InstanceOperations.DescribeInstances),
        ["DescribeNetworkInterfaces"] = (Budget.Describe, InstanceOperations.DescribeNetworkInterfaces),
    };

    /// <summary>The actions this sandbox answers.</summary>
    public static IReadOnlyCollection<string> SupportedActions => Operations.Keys;

    readonly Ec2Memory _memory = new();

    public string SigningName => "ec2";

    public bool Claims(HttpRequest request) => !request.Path.StartsWithSegments("/2013-04-01");

    public string? OperationOf(AwsCall call) =>
        call.Parameters.GetValueOrDefault("Action") is { } action && Operations.ContainsKey(action) ? action : null;

    public TokenBucket? QuotaFor(AwsCall call, string operation) =>
        Operations[operation].Budget switch
        {
            Budget.Describe => quotas.Ec2Describe(call.Account.Id),
            Budget.Byoip => quotas.Ec2Byoip(call.Account.Id),
            _ => quotas.Ec2Mutating(call.Account.Id),
        };

    public Task WriteErrorAsync(AwsCall call, int status, string code, string message) =>
        AwsErrors.WriteEc2(call.Http, status, code, message, call.RequestId);

    public async Task HandleAsync(AwsCall call, string operation)
    {
        var context = new Ec2Context(call, new Ec2Request(call.Parameters), call.World, call.Account, _memory);
        XElement[] members;
        try
        {
            // Each operation reads and changes the world in one step, like one EC2 API call.
            lock (call.World.Gate)
                members = [.. Operations[operation].Run(context).OfType<XElement>()];
        }
        catch (Ec2Error e)
        {
            await WriteErrorAsync(call, e.Status, e.Code, e.Message);
            return;
        }
        catch (Exception e)
        {
            // A sandbox bug: answer as AWS answers its own failures, naming what broke, rather than dropping the
            // connection.
            await WriteErrorAsync(
                call,
                500,
                "InternalError",
                $"The sandbox's EC2 {operation} failed: {e.GetType().Name}: {e.Message}"
            );
            return;
        }
        await AwsErrors.WriteXml(call.Http, 200, Ec2Xml.Response(operation, call.RequestId, members));
    }
}

/// <summary>
/// What EC2 remembers beyond the world's current state, guarded by the world's gate: associations that have
/// ended, so that repeating a DisassociateAddress is a no-op rather than a NotFound.
/// </summary>
public sealed class Ec2Memory
{
    public HashSet<(string AccountId, string AssociationId)> EndedAssociations { get; } = [];
}
