using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Planning;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Preparation;

/// <summary>
/// What the steps of <see cref="PrepareWorkflow"/> do, in the engine that runs them (it needs AWS and DNS): fix
/// the prepare's instant, prepare the environment, check its readiness, each journaled with its actor.
/// </summary>
public sealed class PrepareRunner(
    Inventory inventory,
    WaveStore waves,
    EnvironmentPreparer preparer,
    ReadinessChecks readiness,
    IRoute53Gateway route53,
    ICutoverJournal journal,
    PrepareOptions options,
    ILogger<PrepareRunner> logger
)
{
    /// <summary>The planned start less the lead, never less than twice the largest TTL live now among the records
    /// the cutover changes (<see cref="TtlElapsedRule.Lead"/>).</summary>
    public async Task<DateTimeOffset> PrepareAtAsync(
        string environmentId,
        DateTimeOffset plannedStart,
        CancellationToken ct
    )
    {
        var e = Environment(environmentId);
        long largest = 0;
        foreach (var r in CutoverRecords.ChangedBy(e))
            if (await route53.FindRecordSetAsync(e.Account.Id, e.HostedZone.Id, r.Name, r.Type, ct) is { Ttl: { } ttl })
                largest = Math.Max(largest, ttl);
        var at = plannedStart - TtlElapsedRule.Lead(options.Lead, TimeSpan.FromSeconds(largest));
        logger.LogInformation("Prepare of {Environment} for {Start:u} at {At:u}", environmentId, plannedStart, at);
        return at;
    }

    public async Task PrepareAsync(PrepareData data, CancellationToken ct)
    {
        if (data.PlannedStart is { } planned)
        {
            // Rescheduled or cancelled meanwhile: a new schedule armed its own prepare.
            var wave = await waves.FindAsync(data.WaveId, ct);
            if (wave is not { State: WaveState.Scheduled } || wave.ScheduledFor != planned)
            {
                data.Stale = true;
                return;
            }
        }
        var e = Environment(data.EnvironmentId);
        var ttls = await preparer.LowerTtlsAsync(e, ct);
        var spf = await preparer.AuthoriseSpfAsync(e, ct);
        data.SpfRefused = spf.Refused;
        await journal.AppendAsync(
            JournalEvent.Of(new EnvironmentPreparedPayload(ttls, spf), data.Actor) with
            {
                Wave = data.WaveId,
                Environment = e.Id,
            },
            ct
        );
    }

    public async Task CheckReadinessAsync(PrepareData data, CancellationToken ct)
    {
        var e = Environment(data.EnvironmentId);
        var spf = data.SpfRefused is { } refused
            ? new SpfPreparation(e.SendingDomain, "", "", [], refused, false)
            : null;
        var report = await readiness.CheckAsync(e, data.WaveId, spf, ct);
        var r = report.Readiness;
        await journal.AppendAsync(
            JournalEvent.Of(
                new ReadinessCheckedPayload(r.Ready, r.Reasons, r.Warnings, report.Figures),
                data.Actor
            ) with
            {
                Wave = data.WaveId,
                Environment = e.Id,
            },
            ct
        );
    }

    CutoverEnvironment Environment(string id) => inventory.Select([id])[0];
}
