using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>Everything a cutover step talks to, in one constructor argument (WorkflowCore builds steps through DI).</summary>
public sealed class CutoverStepServices(
    TimeProvider clock,
    DefinitionCatalog definitions,
    ICutoverJournal journal,
    IRoute53Gateway route53,
    IElasticIpGateway elasticIps,
    IByoipGateway byoip,
    ISendingControl sending,
    ICutoverVerifier verifier,
    PauseLeaseKeeper leases,
    EngineRun engineRun,
    AwsAttemptJournal awsAttempts,
    CutoverEngine.Aws.Route53.Zones.IHostedZoneRecords zones,
    CutoverEngine.Aws.Route53.Zones.IZoneChangeBatcher zoneChanges,
    Admission.ICutoverAdmission admission,
    Microsoft.Extensions.Options.IOptions<CutoverOptions> options)
{
    public TimeProvider Clock { get; } = clock;
    public DefinitionCatalog Definitions { get; } = definitions;
    public ICutoverJournal Journal { get; } = journal;
    public IRoute53Gateway Route53 { get; } = route53;
    public IElasticIpGateway ElasticIps { get; } = elasticIps;
    public IByoipGateway Byoip { get; } = byoip;
    public ISendingControl Sending { get; } = sending;
    public ICutoverVerifier Verifier { get; } = verifier;
    public PauseLeaseKeeper Leases { get; } = leases;
    public EngineRun EngineRun { get; } = engineRun;
    public AwsAttemptJournal AwsAttempts { get; } = awsAttempts;
    /// <summary>Zone reads shared by the cutovers of one hosted zone.</summary>
    public CutoverEngine.Aws.Route53.Zones.IHostedZoneRecords Zones { get; } = zones;
    /// <summary>Record changes, batched per hosted zone.</summary>
    public CutoverEngine.Aws.Route53.Zones.IZoneChangeBatcher ZoneChanges { get; } = zoneChanges;
    public Admission.ICutoverAdmission Admission { get; } = admission;
    public CutoverOptions Options { get; } = options.Value;
}

/// <summary>The verification a cutover runs before it resumes sending (implemented over the Sending project's checks).</summary>
public interface ICutoverVerifier
{
    Task<IReadOnlyList<CheckRecord>> VerifyAsync(CutoverSubject subject, IReadOnlyList<string> checks, CancellationToken ct);
}

/// <summary>
/// Renews the sending pause's lease while the cutover is healthy. The lease is the customer's insurance: if the
/// engine dies, the lease runs out and sending resumes by itself. So it is renewed only from inside a running step.
/// </summary>
public sealed class PauseLeaseKeeper(TimeProvider clock, ISendingControl sending, ICutoverJournal journal)
{
    public async Task RenewIfDueAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        if (data.PausedAt is null || data.ResumedAt is not null || data.LeaseExpiresAt is not { } expires) return;
        var lease = run.Definition.PauseLease;
        var renewAt = expires - lease * (1 - run.Definition.LeaseRenewalFraction);
        if (clock.GetUtcNow() < renewAt) return;
        try
        {
            var status = await sending.RenewLeaseAsync(new Uri(run.Subject.SendingControl), lease, ct);
            data.LeaseExpiresAt = status.LeaseExpiresAt ?? clock.GetUtcNow() + lease;
            data.LeaseRenewals++;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed renewal is not a failed cutover: the lease still runs, and the next step tries again.
            await journal.AppendAsync(run.Event(new Audit.Events.LeaseRenewalFailedPayload(e.Message, data.LeaseExpiresAt)), ct);
        }
    }
}
