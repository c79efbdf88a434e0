using CutoverEngine.Sandbox.Tests.Support;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Sts;

/// <summary>
/// A generated world whose second account declares two roles: one the first account's key may assume with an
/// external id (everything allowed), one read-only whose policy lists only describe/list/get actions.
/// </summary>
public static class StsWorld
{
    public const string ExternalId = "rehearsal-7f3c";
    public const string EngineRole = "cutover-engine",
        ReadOnlyRole = "cutover-read-only";

    public static SandboxTopology Create()
    {
        var topology = SandboxWorlds.Generated(6, s => s.Route53RequestsPerSecond = 10_000);
        var hub = topology.Accounts[0];
        topology.Accounts[1].Roles =
        [
            new TopologyRole
            {
                Name = EngineRole,
                ExternalId = ExternalId,
                TrustedAccessKeys = [hub.AccessKeyId],
            },
            new TopologyRole
            {
                Name = ReadOnlyRole,
                TrustedAccessKeys = [hub.AccessKeyId],
                AllowedActions = ["ec2:Describe*", "route53:List*", "route53:Get*"],
            },
        ];
        return topology;
    }

    public static string RoleArn(SandboxTopology topology, string role) =>
        $"arn:aws:iam::{topology.Accounts[1].Id}:role/{role}";

    public static Task<SandboxHost> StartAsync(TimeProvider? clock = null, TimeSpan? credentialTtl = null) =>
        SandboxHost.StartAsync(
            Create(),
            new SandboxRunOptions
            {
                SmtpPort = 0,
                GenerateMail = false,
                Clock = clock ?? TimeProvider.System,
                CredentialTtl = credentialTtl,
            }
        );
}
