using System.Collections.Concurrent;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>
/// What the AWS endpoint saw, per account, service and operation: accepted, throttled, faulted and refused
/// requests, and the instants of accepted Route 53 requests (to measure the rate a client achieved).
/// Benchmarks and tests read these; they are the sandbox's testimony, independent of the client's own counts.
/// </summary>
public sealed class SandboxMetrics
{
    readonly ConcurrentDictionary<(string Account, string Service, string Operation), OperationCounters> _counters =
        new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _route53Accepted = new();

    public OperationCounters For(string account, string service, string operation) =>
        _counters.GetOrAdd((account, service, operation), _ => new OperationCounters());

    public void RecordRoute53Accepted(string account, DateTimeOffset at) =>
        _route53Accepted.GetOrAdd(account, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(at);

    /// <summary>Instants at which Route 53 requests of <paramref name="account"/> passed the quota.</summary>
    public IReadOnlyList<DateTimeOffset> Route53AcceptedAt(string account) =>
        _route53Accepted.TryGetValue(account, out var q) ? [.. q] : [];

    public long Total(string service, Func<OperationCounters, long> pick, string? account = null) =>
        _counters
            .Where(kv => kv.Key.Service == service && (account is null || kv.Key.Account == account))
            .Sum(kv => pick(kv.Value));

    public IReadOnlyDictionary<(string Account, string Service, string Operation), OperationCounters> Snapshot() =>
        new Dictionary<(string, string, string), OperationCounters>(_counters);
}
