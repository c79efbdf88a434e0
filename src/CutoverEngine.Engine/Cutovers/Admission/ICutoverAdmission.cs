namespace CutoverEngine.Engine.Cutovers.Admission;

/// <summary>
/// Admission to the pause, per account: reserves a cutover's Route 53 change, EC2 mutations and BYOIP advertisement
/// in the account's quota schedules and says when to pause. Cutovers of one hosted zone that ask before their zone's
/// slot has begun share it (their changes then leave in one batch). One implementation: <see cref="AccountAdmission"/>.
/// </summary>
public interface ICutoverAdmission
{
    AdmissionSlot Reserve(AdmissionRequest request);

    /// <summary>
    /// How long the request's first mutating calls would wait for their rate-limit permits if made now, by the live
    /// limiters. A slot reserved earlier can be overtaken by reality (an earlier cutover called late, and the quota's
    /// next permit moved with it); the cutover then waits this out before pausing rather than after.
    /// </summary>
    TimeSpan LiveQuotaWait(AdmissionRequest request);

    /// <summary>
    /// The cutover passed its live check and pauses now: until its calls reach the rate limiter, its claim on a quota
    /// with a burst of one (BYOIP) counts for the live checks of the cutovers after it.
    /// </summary>
    void Admitted(AdmissionRequest request);
}
