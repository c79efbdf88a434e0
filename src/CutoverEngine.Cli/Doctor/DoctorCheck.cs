namespace CutoverEngine.Cli.Doctor;

/// <summary>How a doctor check came out. Only <see cref="Fail"/> makes `cutover doctor` exit non-zero.</summary>
public enum DoctorOutcome
{
    Ok,
    Fail,
    Unknown,
}

/// <summary>One row of `cutover doctor`'s table: what was checked, for whom, and what was seen.</summary>
public sealed record DoctorCheck(string Subject, string Check, DoctorOutcome Outcome, string Detail)
{
    public static DoctorCheck Ok(string subject, string check, string detail) =>
        new(subject, check, DoctorOutcome.Ok, detail);

    public static DoctorCheck Fail(string subject, string check, string detail) =>
        new(subject, check, DoctorOutcome.Fail, detail);
}
