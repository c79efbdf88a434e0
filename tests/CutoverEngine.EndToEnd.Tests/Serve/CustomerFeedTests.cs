using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.Domain.Customers;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// A customer's signed link, printed by `cutover customer link` and served by `cutover serve` without an API key:
/// its windows as iCalendar and JSON, its measured downtime after the wave ran, nothing of another customer, and
/// refusals for a tampered, foreign or revoked link.
/// </summary>
public sealed class CustomerFeedTests
{
    static Uri Printed(string stdout, string label) =>
        new(
            stdout
                .Split('\n')
                .Single(l => l.StartsWith(label + ":", StringComparison.Ordinal))[(label.Length + 1)..]
                .Trim()
        );

    [Fact]
    public async Task The_signed_link_serves_the_customers_windows_and_downtime_and_nothing_else()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 6);
        var byCustomer = h.Sandbox.Topology.Environments.GroupBy(e => e.Customer).ToList();
        Assert.True(byCustomer.Count >= 2, "the topology needs two customers");
        var mine = byCustomer[0].First(e => !e.Id.EndsWith("-prod", StringComparison.Ordinal));
        var theirs = byCustomer[1].First();
        // Cut over already, mine belongs to no new wave: its sibling takes the later one.
        var sibling = byCustomer[0].First(e => e.Id != mine.Id);
        var customer = CustomerDirectory.IdOf(mine.Customer);
        var other = CustomerDirectory.IdOf(theirs.Customer);

        // Its api fails only while paused: the customer's own status must show that incident.
        h.Sandbox.SendingControl.Environments[mine.Id].FailWhilePaused("api");

        await using var serve = await ServeProcess.StartAsync(h);
        await serve.StartWaveNowAsync("w-feed", mine.Id);
        await serve.WaitForWaveAsync("w-feed", "completed", TimeSpan.FromSeconds(120));
        // A later wave holding both customers: each sees its own window in it, never the other's environment.
        using (var op = serve.Client(ServeProcess.OperatorKey))
        {
            var created = await op.PostAsJsonAsync(
                "/api/waves",
                new
                {
                    id = "w-later",
                    environments = new[] { theirs.Id, sibling.Id },
                    plannedStart = DateTimeOffset.UtcNow.AddDays(40),
                    parallel = 1,
                    order = "explicit",
                }
            );
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var (code, stdout, stderr) = await ServeProcess.RunCliAsync(h, "customer", "link", customer, "--days", "3");
        Assert.True(code == 0, stderr);
        using var anonymous = serve.Client(null);
        var calendar = Printed(stdout, "calendar");
        var statusLink = Printed(stdout, "status");

        var ics = await anonymous.GetAsync(calendar.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, ics.StatusCode);
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType?.MediaType);
        var icsText = (await ics.Content.ReadAsStringAsync()).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains($"UID:w-feed.{mine.Id}@cutover-engine", icsText);
        Assert.Contains($"UID:w-later.{sibling.Id}@cutover-engine", icsText);
        Assert.Contains("Measured: sending paused", icsText);
        Assert.DoesNotContain(theirs.Id, icsText);

        var statusText = await anonymous.GetStringAsync(statusLink.PathAndQuery);
        Assert.DoesNotContain(theirs.Id, statusText);
        Assert.DoesNotContain(theirs.Customer, statusText);
        var status = JsonDocument.Parse(statusText).RootElement;
        Assert.Equal(mine.Customer, status.GetProperty("customer").GetString());
        var environment = status
            .GetProperty("environments")
            .EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == mine.Id);
        var last = environment.GetProperty("lastCutover");
        Assert.Equal("completed", last.GetProperty("outcome").GetString());
        Assert.True(last.GetProperty("downtimeSeconds").GetDouble() > 0);
        Assert.Equal(
            ["api"],
            last.GetProperty("otherFunctionsAffected")
                .EnumerateArray()
                .Select(i => i.GetProperty("function").GetString())
        );
        Assert.Equal(
            ["w-feed"],
            environment.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("wave").GetString())
        );
        var later = status
            .GetProperty("environments")
            .EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == sibling.Id);
        Assert.Equal(
            ["w-later"],
            later.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("wave").GetString())
        );

        // Refused: tampered, another customer's link on this path, no link at all.
        var sig = calendar.Query[(calendar.Query.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var tampered = calendar.PathAndQuery.Replace(
            "sig=" + sig,
            "sig=" + (sig[0] == 'A' ? "B" : "A") + sig[1..],
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(tampered)).StatusCode);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await anonymous.GetAsync($"/customers/{other}/calendar.ics{calendar.Query}")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await anonymous.GetAsync($"/customers/{customer}/status.json")).StatusCode
        );

        // Revoked: the old link stops, a new one works.
        var revoke = await ServeProcess.RunCliAsync(h, "customer", "revoke", customer);
        Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        var revoked = await anonymous.GetAsync(calendar.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
        Assert.Contains("revoked", await revoked.Content.ReadAsStringAsync());
        var again = await ServeProcess.RunCliAsync(h, "customer", "link", customer);
        Assert.Equal(
            HttpStatusCode.OK,
            (await anonymous.GetAsync(Printed(again.Stdout, "calendar").PathAndQuery)).StatusCode
        );
    }
}
