namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// The state of one cutover, stored by WorkflowCore after every step. Steps read it to stay idempotent
/// (a step replayed after a crash sees what it already did) and the record of downtime is computed from it.
/// </summary>
public sealed class CutoverData
{
    public string WaveId { get; set; } = "";
    public CutoverSubject Subject { get; set; } = new();
    public string DefinitionId { get; set; } = "";
    public int DefinitionVersion { get; set; }
    public string DefinitionHash { get; set; } = "";

    /// <summary>Who started it: an operator's name, an API key's name, or the scheduler.</summary>
    public string StartedBy { get; set; } = "";

    /// <summary>Whether the cutover-started entry is in the journal (the frame writes it before any step).</summary>
    public bool StartJournaled { get; set; }

    public LiveStateSnapshot? Snapshot { get; set; }

    /// <summary>Set when this workflow reverts a completed cutover (definition <c>revert</c>): it moves the
    /// environment back to the data centre, to what that cutover's snapshot recorded. Null for a cutover.</summary>
    public RevertedCutover? RevertOf { get; set; }

    public bool IsRevert => RevertOf is not null;

    /// <summary>Where a host name points once this workflow has moved it: the AWS target for a cutover, the
    /// data-centre address again for a revert.</summary>
    public string AddressAfterMove(SubjectHost host) => IsRevert ? host.CurrentAddress : host.TargetAddress;

    /// <summary>The name the MTA answering there greets with: the inventory's EHLO name on AWS; a data-centre MTA
    /// greets with its host name (the inventory names no other).</summary>
    public string GreetingAfterMove(SubjectHost host) => IsRevert ? host.Name : host.EhloName;

    /// <summary>This cutover's slot in its account's quotas, reserved before the pause (null before, or when admission
    /// is off).</summary>
    public AdmissionRecord? Admission { get; set; }

    /// <summary>When the admission wait ended and the cutover went on to pause.</summary>
    public DateTimeOffset? AdmittedAt { get; set; }

    /// <summary>When a safety cap first held the cutover back from pausing (null when none did).</summary>
    public DateTimeOffset? HeldSince { get; set; }

    /// <summary>How long the safety caps held it, before the pause (not downtime: it was still sending).</summary>
    public double? HeldSeconds { get; set; }

    /// <summary>The hold reason last journaled (cutover-held is written once per distinct reason).</summary>
    public string? HeldFor { get; set; }

    /// <summary>Route 53 change ids this cutover (or its rollback) still has to see INSYNC.</summary>
    public List<string> PendingChangeIds { get; set; } = [];

    // ---- Sending control ----
    /// <summary>When the engine paused sending (its own clock, UTC).</summary>
    public DateTimeOffset? PausedAt { get; set; }

    /// <summary>When the sending side says it stopped handing mail to the MTAs.</summary>
    public DateTimeOffset? SendingPausedAt { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset? ResumedAt { get; set; }
    public DateTimeOffset? SendingResumedAt { get; set; }

    /// <summary>Stopwatch timestamp at pause, valid only within the process run named by <see
    /// cref="PausedInRun"/>.</summary>
    public long PausedMonotonic { get; set; }
    public string? PausedInRun { get; set; }

    /// <summary>Monotonic pause-to-resume duration, when pause and resume happened in the same engine run.</summary>
    public double? MonotonicDowntimeSeconds { get; set; }
    public long LeaseRenewals { get; set; }

    /// <summary>Whether the sending side's resume by lease-expiry of this cutover's pause is journaled.</summary>
    public bool LeaseLapseJournaled { get; set; }

    /// <summary>Per other function, whether it answered in the probe just before the pause (null until
    /// probed).</summary>
    public Dictionary<string, bool>? OtherFunctionBaseline { get; set; }

    /// <summary>Whether the comparison of the zone and the addresses with the snapshot is journaled.</summary>
    public bool BlastRadiusJournaled { get; set; }

    /// <summary>The window-budget-warning was journaled (once per cutover, at <see
    /// cref="Domain.Waves.WindowBudget.WarningShare"/>).</summary>
    public bool BudgetWarningJournaled { get; set; }

    // ---- Steps and checks ----
    public List<CheckRecord> Checks { get; set; } = [];

    /// <summary>Per-step first-start instant, kept across the durable waits that re-run a step.</summary>
    public Dictionary<string, DateTimeOffset> StepStartedAt { get; set; } = [];

    /// <summary>What a waiting step waits for, so that a timeout can say what never came.</summary>
    public Dictionary<string, string> WaitingFor { get; set; } = [];

    /// <summary>Rounds a waiting step has run (durable waits re-run it).</summary>
    public Dictionary<string, int> StepRounds { get; set; } = [];
    public string? CurrentStep { get; set; }

    // ---- Outcome ----
    /// <summary>Set when a step or the window budget sends the cutover down the rollback path.</summary>
    public string? RollbackCause { get; set; }
    public string? RollbackStep { get; set; }

    /// <summary>completed, rolled-back or failed (failed: rollback itself could not restore everything, or nothing
    /// could start).</summary>
    public string? Outcome { get; set; }
    public List<string> RollbackProblems { get; set; } = [];

    /// <summary>Set while a rollback step that failed holds the pause for an operator (<see
    /// cref="RollbackHold"/>).</summary>
    public StuckRollback? Stuck { get; set; }

    /// <summary>Operators' retries of a stuck rollback this cutover ran.</summary>
    public int RollbackRetries { get; set; }

    public bool IsRollingBack => RollbackCause is not null;

    // ---- Range group ----
    /// <summary>
    /// The other environments of the range group this cutover moves (the subject is the group's lead, whose range
    /// is advertised once for all): each with its own subject, pause, checks and downtime. Empty when the
    /// environment moves alone, the normal case. Outcome and rollback are the lead's, for the whole group.
    /// </summary>
    public List<CutoverData> Companions { get; set; } = [];

    /// <summary>Every environment this cutover moves: the lead (this) first, then its companions.</summary>
    public IReadOnlyList<CutoverData> Moved() => [this, .. Companions];
}

/// <summary>A rollback step that failed and holds sending paused until an operator's retry.</summary>
public sealed class StuckRollback
{
    public string Step { get; set; } = "";
    public string Cause { get; set; } = "";
    public DateTimeOffset Since { get; set; }

    /// <summary>The journal sequence of the hold's first rollback-stuck entry: a retry asked after it is this
    /// hold's.</summary>
    public long Sequence { get; set; }

    /// <summary>The window budget ended while held and that was journaled (the second page).</summary>
    public bool BudgetSpentJournaled { get; set; }
}

/// <summary>The completed cutover a revert undoes, and why.</summary>
public sealed class RevertedCutover
{
    /// <summary>The cutover's workflow instance.</summary>
    public string InstanceId { get; set; } = "";
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>What was live before that cutover: where the revert puts the addresses and records back.</summary>
    public LiveStateSnapshot Snapshot { get; set; } = new();

    /// <summary>The operator's reason, journaled with the revert's start.</summary>
    public string Reason { get; set; } = "";
}

/// <summary>A reserved admission slot, valid in the engine run that reserved it (the reservations live in
/// memory).</summary>
public sealed class AdmissionRecord
{
    public DateTimeOffset ReservedAt { get; set; }
    public DateTimeOffset SlotAt { get; set; }
    public DateTimeOffset PauseAt { get; set; }
    public bool JoinedZoneSlot { get; set; }

    /// <summary>Which quota set the slot: Route 53, EC2 mutations, BYOIP, zone slot or lead time.</summary>
    public string Bound { get; set; } = "";
    public string InRun { get; set; } = "";
}

/// <summary>What was live before the cutover changed anything; the rollback restores exactly this.</summary>
public sealed class LiveStateSnapshot
{
    public DateTimeOffset TakenAt { get; set; }
    public List<SnapshotRecordSet> RecordSets { get; set; } = [];
    public List<SnapshotAddress> Addresses { get; set; } = [];

    /// <summary>Every record set of the zone before the cutover, for proving afterwards that only the intended ones
    /// changed; null in a snapshot taken by an engine that did not record it.</summary>
    public List<SnapshotRecordSet>? ZoneRecordSets { get; set; }

    /// <summary>Every Elastic IP of the account and its association before the cutover (for the same proof).</summary>
    public List<SnapshotAddress>? AccountAddresses { get; set; }

    /// <summary>BYOIP range state before the cutover (provisioned, advertised, ...), null for Elastic-IP
    /// environments.</summary>
    public string? ByoipState { get; set; }
}

public sealed class SnapshotRecordSet
{
    public string Name { get; set; } = "";
    public string? SetIdentifier { get; set; }
    public string Type { get; set; } = "";
    public long? Ttl { get; set; }
    public List<string> Values { get; set; } = [];
}

public sealed class SnapshotAddress
{
    public string AllocationId { get; set; } = "";
    public string PublicIp { get; set; } = "";
    public string? InstanceId { get; set; }
    public string? PtrRecord { get; set; }
}

/// <summary>One verification check's result, stored with the cutover.</summary>
public sealed class CheckRecord
{
    public string Check { get; set; } = "";
    public string Subject { get; set; } = "";
    public bool Passed { get; set; }
    public string Expected { get; set; } = "";
    public string Observed { get; set; } = "";
    public string Detail { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public int Round { get; set; }
}
