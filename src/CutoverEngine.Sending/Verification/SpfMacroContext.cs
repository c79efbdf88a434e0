using System.Net;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// The values RFC 7208 section 7.3 macros stand for. <see cref="ValidatedName"/> is %{p}, found by the evaluator
/// only when a macro asks for it ("unknown" otherwise); <see cref="ReceivingHost"/> and <see cref="Timestamp"/>
/// are %{r} and %{t}, used in explanations only.
/// </summary>
public sealed record SpfMacroContext(
    string Sender,
    string Domain,
    IPAddress Address,
    string Helo,
    string ValidatedName = "unknown",
    string ReceivingHost = "unknown",
    long Timestamp = 0
)
{
    /// <summary>%{l}: the sender's local-part ("postmaster" when the sender has none).</summary>
    public string LocalPart => Sender.LastIndexOf('@') is var at and > 0 ? Sender[..at] : "postmaster";

    /// <summary>%{o}: the sender's domain.</summary>
    public string SenderDomain => Sender.LastIndexOf('@') is var at and >= 0 ? Sender[(at + 1)..] : Sender;
}
