using System.Web;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Customers;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Tests.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Customers;

public sealed class CustomerLinksTests : IAsyncDisposable
{
    readonly WaveWorld _w = new();
    readonly CustomerLinks _links;

    public CustomerLinksTests() =>
        _links = new CustomerLinks(
            new CustomerLinkOptions
            {
                LinkKey = Convert.ToBase64String(new byte[32]),
                BaseUrl = "https://cutover.example",
            },
            new CustomerLinkStore(_w.DatabasePath),
            _w.Inventory,
            _w.Clock
        );

    public async ValueTask DisposeAsync() => await _w.DisposeAsync();

    Task<CustomerLinkCheck> Check(string customer, Uri link)
    {
        var q = HttpUtility.ParseQueryString(link.Query);
        return _links.CheckAsync(customer, q["expires"], q["g"], q["sig"]);
    }

    static Uri WithQuery(Uri link, string name, string value)
    {
        var q = HttpUtility.ParseQueryString(link.Query);
        q[name] = value;
        return new UriBuilder(link) { Query = q.ToString() }.Uri;
    }

    [Fact]
    public async Task A_link_opens_its_own_customer_until_it_expires_and_never_another_customer()
    {
        var link = await _links.IssueAsync("acme", TimeSpan.FromDays(7));

        Assert.Equal("https://cutover.example/customers/acme/calendar.ics", link.Calendar.GetLeftPart(UriPartial.Path));
        Assert.Equal(CustomerLinkCheck.Valid, await Check("acme", link.Calendar));
        Assert.Equal(CustomerLinkCheck.Valid, await Check("acme", link.Status));
        Assert.Equal(CustomerLinkCheck.Invalid, await Check("solo", link.Calendar));

        _w.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(CustomerLinkCheck.Valid, await Check("acme", link.Calendar));
        _w.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CustomerLinkCheck.Expired, await Check("acme", link.Calendar));
    }

    [Fact]
    public async Task A_tampered_link_is_invalid_whichever_field_was_changed()
    {
        var link = (await _links.IssueAsync("acme")).Calendar;
        var q = HttpUtility.ParseQueryString(link.Query);
        var expires = long.Parse(q["expires"]!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(
            CustomerLinkCheck.Invalid,
            await Check(
                "acme",
                WithQuery(
                    link,
                    "expires",
                    (expires + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture)
                )
            )
        );
        Assert.Equal(CustomerLinkCheck.Invalid, await Check("acme", WithQuery(link, "g", "7")));
        var sig = q["sig"]!;
        Assert.Equal(
            CustomerLinkCheck.Invalid,
            await Check("acme", WithQuery(link, "sig", (sig[0] == 'A' ? "B" : "A") + sig[1..]))
        );
        Assert.Equal(CustomerLinkCheck.Invalid, await _links.CheckAsync("acme", null, q["g"], q["sig"]));
        Assert.Equal(CustomerLinkCheck.Invalid, await _links.CheckAsync("acme", q["expires"], q["g"], ""));
    }

    [Fact]
    public async Task Revoking_stops_every_earlier_link_and_a_new_one_works()
    {
        var before = (await _links.IssueAsync("acme")).Calendar;
        var other = (await _links.IssueAsync("solo")).Calendar;

        Assert.Equal(2, await _links.RevokeAsync("acme", "cli:test"));

        Assert.Equal(CustomerLinkCheck.Revoked, await Check("acme", before));
        Assert.Equal(CustomerLinkCheck.Valid, await Check("solo", other));
        var after = await _links.IssueAsync("acme");
        Assert.Equal(2, after.Generation);
        Assert.Equal(CustomerLinkCheck.Valid, await Check("acme", after.Calendar));
    }

    [Fact]
    public async Task Without_a_usable_key_or_for_an_unknown_customer_nothing_is_issued()
    {
        var store = new CustomerLinkStore(_w.DatabasePath);
        foreach (
            var (key, expected) in new[]
            {
                ((string?)null, "is not set"),
                ("not base64!", "not base64"),
                (Convert.ToBase64String(new byte[16]), "16 bytes"),
            }
        )
        {
            var links = new CustomerLinks(new CustomerLinkOptions { LinkKey = key }, store, _w.Inventory, _w.Clock);
            var e = await Assert.ThrowsAsync<CustomerLinkException>(() => links.IssueAsync("acme"));
            Assert.Contains("Customers:LinkKey", e.Message);
            Assert.Contains(expected, e.Message);
        }
        var unknown = await Assert.ThrowsAsync<CustomerLinkException>(() => _links.IssueAsync("initech"));
        Assert.Contains("No customer 'initech'", unknown.Message);
        Assert.Contains("acme, solo", unknown.Message);
    }

    [Fact]
    public async Task The_feed_shows_a_customer_its_own_windows_as_the_notices_state_them_and_no_other_environment()
    {
        var waves = _w.Service;
        var start = _w.Clock.GetUtcNow().AddDays(40);
        await waves.CreateAsync(
            "w-mixed",
            ["solo-prod", "acme-prod", "acme-stg"],
            start,
            1,
            WaveOrder.Explicit,
            "cli:test"
        );
        var feed = new CustomerFeed(waves, _w.Provider.GetRequiredService<DefinitionCatalog>(), _w.Journal, _w.Clock);

        var status = (await feed.ReadAsync("acme"))!;

        Assert.Equal(["acme-dev", "acme-stg", "acme-prod"], status.Environments.Select(e => e.Id));
        Assert.Empty(status.Environments[0].Windows);
        // The same rule as the notices: positions after solo-prod, one at a time.
        var budget = _w.Provider.GetRequiredService<DefinitionCatalog>().Latest("cutover").WindowBudget;
        var expected = EnvironmentWindow.InWave(
            await waves.Store.GetAsync("w-mixed"),
            _w.Inventory.Select(["solo-prod", "acme-prod", "acme-stg"]),
            budget
        );
        var prod = Assert.Single(status.Environments[2].Windows);
        Assert.Equal(expected.Single(x => x.Environment.Id == "acme-prod").Closes, prod.Closes);
        Assert.Equal(expected.Single(x => x.Environment.Id == "acme-prod").Describe(), prod.Description);
        Assert.Equal(
            expected.Single(x => x.Environment.Id == "acme-stg").Closes,
            status.Environments[1].Windows[0].Closes
        );
        Assert.All(status.Environments, e => Assert.Null(e.LastCutover));

        var ics = CustomerFeed.Calendar(status).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains("UID:w-mixed.acme-prod@cutover-engine", ics);
        Assert.Contains("UID:w-mixed.acme-stg@cutover-engine", ics);
        Assert.DoesNotContain("solo", ics);
        Assert.Null(await feed.ReadAsync("nobody"));
    }
}
