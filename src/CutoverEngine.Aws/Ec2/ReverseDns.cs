namespace CutoverEngine.Aws.Ec2;

/// <summary>
/// The reverse DNS (PTR) of an Elastic IP: the live <see cref="PtrRecord"/> and, while a change is being applied,
/// the pending value and its status.
/// </summary>
public sealed record ReverseDns(
    string AllocationId,
    string PublicIp,
    string? PtrRecord,
    string? PendingValue,
    string? PendingStatus
)
{
    /// <summary>Whether <paramref name="domainName"/> is live or already on its way in.</summary>
    public bool Names(string domainName)
    {
        var wanted = Normalize(domainName);
        return Normalize(PtrRecord) == wanted
            || (
                PendingValue is not null
                && Normalize(PendingValue) == wanted
                && !string.Equals(PendingStatus, "failed", StringComparison.OrdinalIgnoreCase)
            );
    }

    private static string? Normalize(string? name) => name?.Trim().TrimEnd('.').ToLowerInvariant();
}
