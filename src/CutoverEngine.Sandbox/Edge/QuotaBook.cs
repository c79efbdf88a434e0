using System.Collections.Concurrent;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>The per-account token buckets, created on first use from the topology's settings.</summary>
public sealed class QuotaBook(SandboxWorld world)
{
    readonly ConcurrentDictionary<(string Account, string Budget), TokenBucket> _buckets = new();

    public TokenBucket Route53(string account) =>
        _buckets.GetOrAdd(
            (account, "route53"),
            _ => new TokenBucket(
                world.Settings.Route53RequestsPerSecond,
                world.Settings.Route53RequestsPerSecond,
                world.Clock
            )
        );

    public TokenBucket Ec2Mutating(string account) => Bucket(account, "ec2-mutating", world.Settings.Ec2Mutating);

    public TokenBucket Ec2Describe(string account) => Bucket(account, "ec2-describe", world.Settings.Ec2Describe);

    public TokenBucket Ec2Byoip(string account) => Bucket(account, "ec2-byoip", world.Settings.Ec2Byoip);

    TokenBucket Bucket(string account, string budget, Topology.TokenBucketSettings s) =>
        _buckets.GetOrAdd((account, budget), _ => new TokenBucket(s.Burst, s.PerSecond, world.Clock));
}
