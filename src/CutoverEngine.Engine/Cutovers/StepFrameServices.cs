using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// What the frame around every step needs (<see cref="CutoverStep"/>): the clock, the definitions, the journal, the
/// pause lease, the AWS attempts to flush, the zone batches to withdraw from on rollback, and the log its journal
/// entries are echoed to. A step's own dependencies go to its own constructor.
/// </summary>
public sealed class StepFrameServices(
    TimeProvider clock,
    DefinitionCatalog definitions,
    ICutoverJournal journal,
    PauseLeaseKeeper leases,
    OtherFunctions.OtherFunctionWatch otherFunctions,
    AwsAttemptJournal awsAttempts,
    IZoneChangeBatcher zoneChanges,
    RollbackHold holds,
    ILogger<CutoverStep> log
)
{
    public TimeProvider Clock { get; } = clock;
    public DefinitionCatalog Definitions { get; } = definitions;
    public ICutoverJournal Journal { get; } = journal;
    public PauseLeaseKeeper Leases { get; } = leases;

    /// <summary>The probes of the instance's other functions, kept beside the steps from pause to resume.</summary>
    public OtherFunctions.OtherFunctionWatch OtherFunctions { get; } = otherFunctions;
    public AwsAttemptJournal AwsAttempts { get; } = awsAttempts;
    public IZoneChangeBatcher ZoneChanges { get; } = zoneChanges;
    public ILogger<CutoverStep> Log { get; } = log;

    /// <summary>What a failed restore step does instead of carrying on (the pause held for an operator).</summary>
    public RollbackHold Holds { get; } = holds;
}
