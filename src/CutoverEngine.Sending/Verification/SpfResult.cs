namespace CutoverEngine.Sending.Verification;

/// <summary>pass, fail, softfail, neutral, none, permerror (RFC 7208 results).</summary>
public sealed record SpfResult(string Result, int Lookups, string Explanation)
{
    public bool Permits => Result == "pass";
}
