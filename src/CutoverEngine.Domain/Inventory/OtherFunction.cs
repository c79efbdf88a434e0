namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// One of the instance's other functions (its API, webmail, IMAP...), which the customer was promised stay up
/// while sending is paused: the engine probes it before and during every pause. Exactly one of <paramref name="Url"/>
/// (an HTTP(S) GET answering <paramref name="ExpectedStatus"/>) and <paramref name="TcpHost"/>/<paramref
/// name="TcpPort"/> (a TCP connect) is set.
/// </summary>
/// <param name="Name">Unique within the environment ([a-z0-9-]); names the function in the journal and
/// report.</param>
public sealed record OtherFunction(string Name, Uri? Url, int ExpectedStatus, string? TcpHost, int TcpPort)
{
    /// <summary>The status an HTTP function answers when none is given.</summary>
    public const int DefaultExpectedStatus = 200;

    /// <summary>What is probed, as people write it: the URL, or host:port.</summary>
    public string Target => Url?.ToString() ?? $"{TcpHost}:{TcpPort}";
}
