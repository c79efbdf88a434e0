using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CutoverEngine.Domain.Customers;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Engine.Customers;

/// <summary>A signed link to one customer's feeds.</summary>
public sealed record CustomerLink(string CustomerId, DateTimeOffset Expires, int Generation, Uri Calendar, Uri Status);

/// <summary>What checking a link found. Only <see cref="Valid"/> serves anything.</summary>
public enum CustomerLinkCheck
{
    Valid,

    /// <summary>Missing fields, or a signature that is not this customer's (tampered, or another customer's).</summary>
    Invalid,
    Expired,

    /// <summary>Issued before the customer's links were revoked.</summary>
    Revoked,
}

/// <summary>
/// Issues and checks the per-customer links support hands out: no API key, the link itself is the credential. It
/// carries the customer id, an expiry and the generation, signed with HMAC-SHA256 under <c>Customers:LinkKey</c>;
/// the signature covers the customer id, so a link opens that customer's feeds and no one else's.
/// </summary>
public sealed class CustomerLinks(
    CustomerLinkOptions options,
    CustomerLinkStore store,
    Inventory inventory,
    TimeProvider clock
)
{
    const string Purpose = "cutover-customer-link/v1";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(400);

    public async Task<CustomerLink> IssueAsync(
        string customerId,
        TimeSpan? lifetime = null,
        CancellationToken ct = default
    )
    {
        var key = options.Key();
        var baseUri = options.BaseUri();
        var life = lifetime ?? options.LinkLifetime;
        if (life <= TimeSpan.Zero || life > MaxLifetime)
            throw new CustomerLinkException(
                $"A link's lifetime must be between 1 second and {MaxLifetime.TotalDays:0} days, not {life}."
            );
        var directory = new CustomerDirectory(inventory);
        if (directory.NameOf(customerId) is null)
            throw new CustomerLinkException(
                $"No customer '{customerId}' in the inventory; customers: {string.Join(", ", directory.Ids)}."
            );
        var generation = await store.GenerationAsync(customerId, ct);
        var expires = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().Add(life).ToUnixTimeSeconds());
        var query = Query(customerId, expires.ToUnixTimeSeconds(), generation, key);
        return new CustomerLink(
            customerId,
            expires,
            generation,
            new Uri(baseUri, $"customers/{customerId}/calendar.ics?{query}"),
            new Uri(baseUri, $"customers/{customerId}/status.json?{query}")
        );
    }

    /// <summary>Checks the query fields of a link to <paramref name="customerId"/>'s feeds.</summary>
    public async Task<CustomerLinkCheck> CheckAsync(
        string customerId,
        string? expires,
        string? generation,
        string? signature,
        CancellationToken ct = default
    )
    {
        var key = options.Key();
        if (
            !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || !int.TryParse(generation, NumberStyles.None, CultureInfo.InvariantCulture, out var issuedUnder)
            || string.IsNullOrEmpty(signature)
        )
            return CustomerLinkCheck.Invalid;
        var expected = Encoding.ASCII.GetBytes(Sign(customerId, expiresAt, issuedUnder, key));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return CustomerLinkCheck.Invalid;
        if (clock.GetUtcNow().ToUnixTimeSeconds() >= expiresAt)
            return CustomerLinkCheck.Expired;
        return issuedUnder < await store.GenerationAsync(customerId, ct)
            ? CustomerLinkCheck.Revoked
            : CustomerLinkCheck.Valid;
    }

    /// <summary>Every link to the customer's feeds issued so far stops working; returns the new generation.</summary>
    public async Task<int> RevokeAsync(string customerId, string actor, CancellationToken ct = default)
    {
        if (new CustomerDirectory(inventory).NameOf(customerId) is null)
            throw new CustomerLinkException($"No customer '{customerId}' in the inventory.");
        return await store.RevokeAsync(customerId, actor, clock.GetUtcNow(), ct);
    }

    static string Query(string customerId, long expires, int generation, byte[] key) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"expires={expires}&g={generation}&sig={Sign(customerId, expires, generation, key)}"
        );

    static string Sign(string customerId, long expires, int generation, byte[] key)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"{Purpose}\n{customerId}\n{expires}\n{generation}");
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
