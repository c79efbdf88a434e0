namespace CutoverEngine.Sending.Verification;

/// <summary>The results of RFC 7208 section 2.6 that check_host() can return.</summary>
public enum SpfVerdict
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
