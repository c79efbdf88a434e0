using System.Collections.Immutable;

namespace CutoverEngine.Sandbox.Smtp;

/// <summary>
/// A snapshot of what one host (or one address) accepted. <see cref="Duplicates"/> counts messages whose id this same
/// host/address had already accepted; <see cref="MailLedger.Duplicates"/> also counts ids first accepted elsewhere.
/// </summary>
public sealed record MailJournal(
    string Key,
    long Accepted,
    long Duplicates,
    ImmutableHashSet<string> MessageIds,
    ImmutableArray<MailReceipt> Receipts
)
{
    public static MailJournal Empty(string key) => new(key, 0, 0, [], []);
}
