using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// Change freezes through a real `cutover serve` (issue #14 part 2): a schedule into a freeze answers 409 naming it,
/// the calendar edited while serve runs holds at once, and a broken calendar answers 503 naming its line.
/// </summary>
public sealed class WaveFreezeApiTests
{
    [Fact]
    public async Task Scheduling_into_a_freeze_is_refused_and_an_edit_of_the_calendar_holds_without_a_restart()
    {
        await using var h = await CutoverHarness.StartAsync();
        var calendar = Path.Combine(h.Directory, "freezes.yaml");
        await File.WriteAllTextAsync(calendar, "");
        h.EditSettings = s => s["Waves:Freezes:File"] = calendar;
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(ServeProcess.OperatorKey);

        var at = DateTimeOffset.UtcNow.AddDays(40);
        var create = await op.PostAsJsonAsync(
            "/api/waves",
            new
            {
                id = "w-frozen",
                environments = new[] { "acme-stg" },
                plannedStart = at,
            }
        );
        Assert.True(create.StatusCode == HttpStatusCode.Created, await create.Content.ReadAsStringAsync());

        await File.WriteAllTextAsync(
            calendar,
            $"""
            version: 1
            freezes:
              - name: year-end
                customers: ["Acme Corp"]
                from: {at.AddHours(-12):O}
                to: {at.AddHours(12):O}
                reason: the customer's year-end close
            """
        );
        var refused = await op.PostAsJsonAsync(
            "/api/waves/w-frozen/schedule",
            new { at, overrideReason = (string?)null }
        );
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var violations = JsonDocument
            .Parse(await refused.Content.ReadAsStringAsync())
            .RootElement.GetProperty("violations");
        var freeze = violations.EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "freeze");
        Assert.Contains(
            "'year-end' (customer Acme Corp",
            freeze.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );

        await File.WriteAllTextAsync(calendar, "version: 1\nfreezes:\n  - name: [broken\n");
        var broken = await op.PostAsJsonAsync("/api/waves/w-frozen/schedule", new { at });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        var why = await broken.Content.ReadAsStringAsync();
        Assert.True(why.Contains("freezes.yaml:4:1: YAML syntax error", StringComparison.Ordinal), why);

        await File.WriteAllTextAsync(calendar, "version: 1\nfreezes: []\n");
        var scheduled = await op.PostAsJsonAsync(
            "/api/waves/w-frozen/schedule",
            new { at, overrideReason = "notice waived for the test" }
        );
        Assert.True(scheduled.IsSuccessStatusCode, await scheduled.Content.ReadAsStringAsync());
        Assert.Equal(
            "scheduled",
            JsonDocument.Parse(await scheduled.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString()
        );
    }
}
