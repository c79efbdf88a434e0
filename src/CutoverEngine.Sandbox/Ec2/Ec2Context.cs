using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>What an operation works with: the call, its parameters, the world and the calling account.</summary>
public sealed record Ec2Context(
    AwsCall Call,
    Ec2Request Request,
    SandboxWorld World,
    AccountState Account,
    Ec2Memory Memory
)
{
    public DateTimeOffset Now => World.Now;
}
