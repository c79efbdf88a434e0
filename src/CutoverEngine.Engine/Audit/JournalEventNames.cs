namespace CutoverEngine.Engine.Audit;

/// <summary>The event names the engine writes to the journal, in one place so readers and writers agree.</summary>
public static class JournalEventNames
{
    public const string CutoverStarted = "cutover-started";
    public const string StepStarted = "step-started";
    public const string StepCompleted = "step-completed";
    public const string StepFailed = "step-failed";
    public const string RollbackStarted = "rollback-started";
    public const string Checks = "checks";
    public const string DowntimeRecorded = "downtime-recorded";
    public const string Incident = "incident";
    public const string LeaseRenewalFailed = "lease-renewal-failed";
    public const string AwsAttempt = "aws-attempt";
    public const string WaveCreated = "wave-created";
    public const string WaveScheduled = "wave-scheduled";
    public const string WaveStarted = "wave-started";
    public const string WaveStopped = "wave-stopped";
    public const string WaveCancelled = "wave-cancelled";
    public const string NoticeRecorded = "notice-recorded";
    public const string Override = "override";
    /// <summary>The credentials configured for an account act in another one (sts:GetCallerIdentity); nothing was changed.</summary>
    public const string IdentityMismatch = "identity-mismatch";
}
