using System.Globalization;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// The operator pages in a real browser (issue #14 part 6): headless Debian Chromium, driven by Playwright, against
/// `cutover serve` on the sandbox. An operator creates and schedules a production wave through the forms (the typed
/// confirmation refused first), an approver approves it, the scheduler starts it at its time, and the live page,
/// reloading itself, shows it running and then completed; an auditor sees no form, and a forged POST with an
/// auditor's session and a valid antiforgery token gets 403 and changes nothing.
/// </summary>
public sealed class OperatorPagesBrowserTests
{
    const string Chromium = AuditorPagesBrowserTests.Chromium;
    const string Wave = "w-op";
    static readonly string[] ChromiumArgs = AuditorPagesBrowserTests.ChromiumArgs;

    [Fact]
    public async Task An_operator_schedules_a_production_wave_an_approver_approves_and_the_page_follows_it()
    {
        Assert.True(
            File.Exists(Chromium),
            $"{Chromium} is missing: install the Debian package chromium (.ci/run does)."
        );
        await using var h = await CutoverHarness.StartAsync();
        h.EditSettings = s =>
        {
            // One approval from someone other than the creator ("a second person"); the default of 2 has its own
            // tests. Prepare's gate has its own too: the scheduler would otherwise refuse an unprepared production
            // wave.
            s["Waves:Approval:Production"] = "1";
            s["Waves:Prepare:Required"] = "None";
            s["Waves:Schedule:BlockedRetryInterval"] = "00:00:02";
        };
        await using var serve = await ServeProcess.StartAsync(h);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(
            Path.Combine(h.Directory, "chromium-profile"),
            new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 120_000,
            }
        );
        browser.SetDefaultTimeout(60_000);
        browser.SetDefaultNavigationTimeout(60_000);
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var wavePage = $"{serve.BaseUrl}/waves/{Wave}";

        // olga, an operator, creates the wave through the form, confirming production by its id.
        await LogInAsync(page, serve, ServeProcess.OperatorKey, "/waves");
        var create = page.Locator("form[data-action=create]");
        await create.Locator("input[name=id]").FillAsync(Wave);
        await create.Locator("input[name=environments]").FillAsync("acme-prod");
        await create.Locator("input[name=plannedStart]").FillAsync(Iso(DateTimeOffset.UtcNow.AddDays(1)));
        await create.Locator("input[name=confirm]").FillAsync(Wave);
        await create.Locator("button").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/waves/{Wave}");
        Assert.Equal("draft", await page.Locator("#wave-state").TextContentAsync());

        // Scheduling production with the wrong confirmation is refused and changes nothing.
        var due = DateTimeOffset.UtcNow.AddSeconds(45);
        var schedule = page.Locator("form[data-action=schedule]");
        await schedule.Locator("input[name=at]").FillAsync(Iso(due));
        await schedule.Locator("input[name=overrideReason]").FillAsync("browser test: the notice period is waived");
        await schedule.Locator("input[name=confirm]").FillAsync("w-oops");
        await schedule.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#refusal")).ToContainTextAsync("type its id, w-op");
        await page.GotoAsync(wavePage);
        Assert.Equal("draft", await page.Locator("#wave-state").TextContentAsync());
        schedule = page.Locator("form[data-action=schedule]");
        await schedule.Locator("input[name=at]").FillAsync(Iso(due));
        await schedule.Locator("input[name=overrideReason]").FillAsync("browser test: the notice period is waived");
        await schedule.Locator("input[name=confirm]").FillAsync(Wave);
        await schedule.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#wave-state")).ToHaveTextAsync("scheduled");
        await Assertions.Expect(page.Locator("#approvals")).ToContainTextAsync("0 of 1");
        await LogOutAsync(page);

        // petra, an approver, may approve but not start.
        await LogInAsync(page, serve, ServeProcess.ApproverKey, $"/waves/{Wave}");
        Assert.Equal(0, await page.Locator("form[data-action=start]").CountAsync());
        var approve = page.Locator("form[data-action=approve]");
        await approve.Locator("input[name=reason]").FillAsync("change CHG-42 reviewed");
        await approve.Locator("input[name=confirm]").FillAsync(Wave);
        await approve.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#approvals")).ToContainTextAsync("1 of 1");
        await LogOutAsync(page);

        // audrey, an auditor, follows it: the page reloads itself while the wave runs.
        await LogInAsync(page, serve, ServeProcess.AuditorKey, $"/waves/{Wave}");
        Assert.Equal(0, await page.Locator("form.action").CountAsync());
        await Assertions.Expect(page.Locator("#wave-state")).ToHaveTextAsync("running", new() { Timeout = 120_000 });
        await Assertions
            .Expect(page.Locator("#live tr[data-environment=acme-prod] td[data-field=step]"))
            .Not.ToBeEmptyAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#wave-state")).ToHaveTextAsync("completed", new() { Timeout = 180_000 });
        Assert.Equal(
            "completed",
            await page.Locator("#environments tr[data-environment=acme-prod] td[data-outcome]")
                .GetAttributeAsync("data-outcome")
        );

        // A forged POST with the auditor's own session and a valid token: 403, nothing changed.
        var token = await page.Locator("header.bar input[name=__antiforgery]").GetAttributeAsync("value");
        var form = browser.APIRequest.CreateFormData();
        form.Set("__antiforgery", token!);
        form.Set("reason", "forged");
        form.Set("confirm", Wave);
        var forged = await browser.APIRequest.PostAsync($"{wavePage}/approve", new() { Form = form });
        Assert.Equal(403, forged.Status);
        Assert.Contains("needs the approver role", await forged.TextAsync(), StringComparison.Ordinal);
        var forgedCreate = browser.APIRequest.CreateFormData();
        forgedCreate.Set("__antiforgery", token!);
        forgedCreate.Set("id", "w-forged");
        forgedCreate.Set("environments", "acme-dev");
        forgedCreate.Set("plannedStart", Iso(DateTimeOffset.UtcNow.AddDays(1)));
        forgedCreate.Set("parallel", "1");
        Assert.Equal(
            403,
            (await browser.APIRequest.PostAsync($"{serve.BaseUrl}/waves", new() { Form = forgedCreate })).Status
        );

        var actors = await JournalActorsAsync(h.DatabasePath);
        Assert.Contains(("wave-created", "page:olga"), actors);
        Assert.Contains(("wave-scheduled", "page:olga"), actors);
        Assert.Contains(("wave-approved", "page:petra"), actors);
        Assert.Single(actors, a => a.Event == "wave-approved");
        Assert.DoesNotContain(actors, a => a.Actor.Contains("audrey", StringComparison.Ordinal));
        Assert.Equal(1, actors.Count(a => a.Event == "wave-started"));
    }

    static string Iso(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    static async Task LogInAsync(IPage page, ServeProcess serve, string key, string path)
    {
        await page.GotoAsync($"{serve.BaseUrl}{path}");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        await page.FillAsync("#key", key);
        await page.ClickAsync("#login");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path);
    }

    static async Task LogOutAsync(IPage page)
    {
        await page.ClickAsync("header.bar button:text-is(\"Log out\")");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
    }

    static async Task<List<(string Event, string Actor)>> JournalActorsAsync(string database)
    {
        var list = new List<(string, string)>();
        await using var c = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT event, actor FROM journal ORDER BY seq";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }
}
