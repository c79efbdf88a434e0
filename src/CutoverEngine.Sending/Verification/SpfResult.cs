namespace CutoverEngine.Sending.Verification;

/// <summary>
/// One check_host() answer: the verdict, the DNS-querying terms it spent (RFC 7208 4.6.4, counted through
/// includes and redirects) and why, in words naming the term and domain that decided.
/// </summary>
public sealed record SpfResult(SpfVerdict Result, int Lookups, string Explanation)
{
    public bool Permits => Result == SpfVerdict.Pass;

    /// <summary>The verdict as RFC 7208 spells it (pass, softfail, permerror, ...).</summary>
    public string Name => Result.ToString().ToLowerInvariant();
}
