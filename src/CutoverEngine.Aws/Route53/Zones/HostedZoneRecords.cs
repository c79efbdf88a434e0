using System.Collections.Concurrent;
using CutoverEngine.Aws.Configuration;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Route53.Zones;

/// <inheritdoc cref="IHostedZoneRecords"/>
public sealed class HostedZoneRecords(IRoute53Gateway route53, IOptions<AwsOptions> options, TimeProvider? time = null)
    : IHostedZoneRecords
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Route53ZoneOptions _options = options.Value.Route53Zones;
    private readonly ConcurrentDictionary<(string Account, string Zone), Slot> _zones = new();

    public async Task<ZoneRecords> ReadAsync(
        string account,
        string hostedZoneId,
        TimeSpan? maxAge = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var key = (account, Route53Gateway.ZoneId(hostedZoneId));
        var slot = _zones.GetOrAdd(key, _ => new Slot());
        var limit = maxAge ?? _options.ReadMaxAge;
        Task<ZoneRecords> read;
        lock (slot)
        {
            if (slot.Last is { } last && _time.GetUtcNow() - last.ReadAt <= limit)
                return last;
            // Single flight: a read in progress serves everyone who asks while it runs. It is not cancelled by one
            // caller giving up (the call's own budget bounds it), so the others still get their answer.
            slot.InFlight ??= ReadZoneAsync(slot, key.account, key.Item2);
            read = slot.InFlight;
        }
        return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Applied(string account, string hostedZoneId, IEnumerable<RecordSetChange> changes)
    {
        if (!_zones.TryGetValue((account, Route53Gateway.ZoneId(hostedZoneId)), out var slot))
            return;
        lock (slot)
            slot.Last = slot.Last?.With(changes);
    }

    private async Task<ZoneRecords> ReadZoneAsync(Slot slot, string account, string zone)
    {
        await Task.Yield(); // the caller holds the slot's lock
        try
        {
            var readAt = _time.GetUtcNow();
            var sets = await route53.ListRecordSetsAsync(account, zone, CancellationToken.None).ConfigureAwait(false);
            var records = new ZoneRecords(account, zone, sets, readAt);
            lock (slot)
            {
                // A change applied while the read ran may or may not be in it; a read that began later wins anyway.
                if (slot.Last is null || slot.Last.ReadAt <= readAt)
                    slot.Last = records;
                slot.InFlight = null;
                return slot.Last;
            }
        }
        catch
        {
            lock (slot)
                slot.InFlight = null;
            throw;
        }
    }

    private sealed class Slot
    {
        public ZoneRecords? Last;
        public Task<ZoneRecords>? InFlight;
    }
}
