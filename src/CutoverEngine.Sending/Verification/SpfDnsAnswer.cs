namespace CutoverEngine.Sending.Verification;

/// <summary>
/// What one SPF DNS query returned: the values, or <see cref="Failure"/> when the server failed or did not
/// answer (a temperror). No values without a failure is a void lookup (NOERROR with no answer, or NXDOMAIN).
/// </summary>
public sealed record SpfDnsAnswer<T>(IReadOnlyList<T> Values, string? Failure = null)
{
    public bool IsVoid => Failure is null && Values.Count == 0;
}
