using System.Net;

namespace CutoverEngine.Sending.Verification;

/// <summary>The DNS an SPF evaluation needs (so that the evaluation itself is pure and testable).</summary>
public interface ISpfDns
{
    Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken ct);
    Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, CancellationToken ct);
    Task<IReadOnlyList<string>> MailExchangesAsync(string name, CancellationToken ct);
}
