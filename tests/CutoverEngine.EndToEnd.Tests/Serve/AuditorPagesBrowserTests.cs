using System.Globalization;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Server.Reports;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// The auditor pages in a real browser: `cutover serve` runs a wave on the sandbox (acme-stg moves, umbrella-stg
/// fails verification by design and rolls back), then headless Debian Chromium, driven by Playwright, logs in
/// with the auditor key and checks what the pages show against the API, the JSON report and the journal file.
/// </summary>
public sealed class AuditorPagesBrowserTests(ITestOutputHelper log)
{
    /// <summary>The system Chromium (Debian package chromium, installed by .ci/run); Playwright's own browsers are not
    /// used.</summary>
    internal const string Chromium = "/usr/bin/chromium";
    const string Wave = "w-pages";
    static readonly string[] Environments = ["acme-stg", "umbrella-stg"];

    /// <summary>
    /// Chromium's background services (updates, sync, QUIC probes, first-run) open outside connections; the build
    /// machine's closed network refuses them, so they are switched off.
    /// </summary>
    internal static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    [Fact]
    public async Task An_auditor_logs_in_and_sees_the_wave_its_environments_and_the_verified_chain()
    {
        Assert.True(
            File.Exists(Chromium),
            $"{Chromium} is missing: install the Debian package chromium (.ci/run does)."
        );
        await using var h = await CutoverHarness.StartAsync();
        foreach (var id in Environments)
            h.Sandbox.SendingControl.Environment(id).GeneratorEnabled = true;
        await using var serve = await ServeProcess.StartAsync(h);
        await serve.StartWaveNowAsync(Wave, Environments);
        await serve.WaitForWaveAsync(Wave, "completed", TimeSpan.FromMinutes(4));

        // What the engine says through the API (from the workflows' own data), to hold the pages against.
        using var api = serve.Client(ServeProcess.AuditorKey);
        var apiReport = JsonDocument.Parse(await api.GetStringAsync($"/api/reports/waves/{Wave}")).RootElement;
        var expected = apiReport
            .GetProperty("cutovers")
            .EnumerateArray()
            .ToDictionary(c => c.GetProperty("environment").GetString()!);
        Assert.Equal(Environments.Order(), expected.Keys.Order());
        Assert.Equal("completed", expected["acme-stg"].GetProperty("outcome").GetString());
        Assert.Equal("rolled-back", expected["umbrella-stg"].GetProperty("outcome").GetString());

        // A login posted without the form's antiforgery token is refused, even with a good key, and opens no session.
        using (var forged = serve.Client(null))
        {
            var response = await forged.PostAsync(
                "/login",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = ServeProcess.AuditorKey })
            );
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain(
                response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [],
                c => c.StartsWith("cutover.session=", StringComparison.Ordinal)
            );
        }

        using var playwright = await Playwright.CreateAsync();
        var profile = Path.Combine(h.Directory, "chromium-profile");
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(
            profile,
            new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 120_000,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            }
        );
        browser.SetDefaultTimeout(60_000);
        browser.SetDefaultNavigationTimeout(60_000);
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();

        // Without a session a page sends the browser to the login form, remembering where it was going.
        await page.GotoAsync($"{serve.BaseUrl}/waves/{Wave}");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        Assert.Contains("returnUrl=%2Fwaves%2Fw-pages", page.Url);

        // A wrong key is refused with an error and no session.
        await page.FillAsync("#key", "wrong-key-0123456789abcdef");
        await page.ClickAsync("#login");
        await Assertions
            .Expect(page.Locator("#login-error"))
            .ToContainTextAsync("not a valid API key", new() { Timeout = 60_000 });
        Assert.DoesNotContain(await browser.CookiesAsync(), c => c.Name == "cutover.session");

        // The auditor key opens a session and lands on the wave asked for.
        await page.FillAsync("#key", ServeProcess.AuditorKey);
        await page.ClickAsync("#login");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/waves/{Wave}");
        var session = Assert.Single(await browser.CookiesAsync(), c => c.Name == "cutover.session");
        Assert.True(session.HttpOnly, "the session cookie must be HTTP-only");
        Assert.True(session.Secure, "the session cookie must be Secure");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("audrey", await page.Locator("#viewer").TextContentAsync());
        // The session is for the pages only: the API keeps asking for X-Api-Key.
        Assert.Equal(401, (await browser.APIRequest.GetAsync($"{serve.BaseUrl}/api/waves")).Status);
        Assert.Equal("completed", await page.Locator("#wave-state").TextContentAsync());

        // Per environment: the outcome and both downtime measurements, as the engine recorded them.
        foreach (var (id, engine) in expected)
        {
            var row = page.Locator($"#environments tr[data-environment=\"{id}\"]");
            Assert.Equal(
                engine.GetProperty("outcome").GetString(),
                await row.Locator("td[data-outcome]").GetAttributeAsync("data-outcome")
            );
            await AssertSecondsAsync(
                row.Locator("td[data-field=downtime]"),
                engine.GetProperty("downtimeSeconds"),
                $"{id} downtime"
            );
            await AssertSecondsAsync(
                row.Locator("td[data-field=sending-gap]"),
                engine.GetProperty("sendingGapSeconds"),
                $"{id} sending gap"
            );
        }
        Assert.Equal(JsonValueKind.Number, expected["acme-stg"].GetProperty("downtimeSeconds").ValueKind);
        Assert.Contains(
            "smtp-banner",
            await page.Locator("#environments tr[data-environment=\"umbrella-stg\"]").TextContentAsync()
        );

        // The embedded report is the one `cutover report` writes: same environments, one chart bar each, the rollback
        // listed.
        var json = await browser.APIRequest.GetAsync($"{serve.BaseUrl}/waves/{Wave}/report.json");
        Assert.True(json.Ok, $"report.json: {json.Status}");
        var report = WaveReportJson.Deserialize(await json.TextAsync());
        Assert.Equal(Environments.Order(), report.Environments.Select(e => e.Environment).Order());
        Assert.Equal(report.Environments.Count, await page.Locator("svg.downtime-chart rect.bar").CountAsync());
        Assert.Equal(report.Environments.Count, await page.Locator("div.env[data-environment]").CountAsync());
        Assert.Equal(1, report.Statistics.Rollbacks);
        foreach (var e in report.Environments)
            Assert.Equal(expected[e.Environment].GetProperty("downtimeSeconds").GetDouble(), e.EngineDowntimeSeconds);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "auditor-pages-wave.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is (nearly) empty");
        log.WriteLine($"screenshot: {screenshot}");

        // The rolled-back environment's timeline, reached by its link: every step, the rollback and the incident.
        await page.ClickAsync("#environments a:text-is(\"umbrella-stg\")");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/environments/umbrella-stg");
        Assert.Equal("umbrella-stg", await page.Locator("#environment-id").TextContentAsync());
        Assert.True(await page.Locator("#timeline tr[data-event=\"step-started\"]").CountAsync() > 3);
        Assert.Equal(1, await page.Locator("#timeline tr[data-event=\"rollback-started\"]").CountAsync());
        Assert.Equal(1, await page.Locator("#timeline tr[data-event=\"incident\"]").CountAsync());
        Assert.Equal(
            "rolled back",
            await page.Locator("div.env[data-environment=\"umbrella-stg\"] h3 span.rolled-back").TextContentAsync()
        );
        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = Path.Combine(AppContext.BaseDirectory, "auditor-pages-environment.png"),
                FullPage = true,
            }
        );

        // The chain: verified, every entry of the journal file checked.
        var before = await JournalCountAsync(h.DatabasePath);
        await page.ClickAsync("header.bar nav a:text-is(\"Journal chain\")");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/audit");
        var status = page.Locator("#chain-status");
        Assert.Equal("verified", await status.GetAttributeAsync("data-status"));
        Assert.Equal("verified", (await status.TextContentAsync())?.Trim());
        var shown = long.Parse((await status.GetAttributeAsync("data-entries"))!, CultureInfo.InvariantCulture);
        var after = await JournalCountAsync(h.DatabasePath);
        Assert.InRange(shown, before, after);
        Assert.True(shown > 50, $"only {shown} entries checked");
        Assert.Equal(
            shown.ToString(CultureInfo.InvariantCulture),
            await page.Locator("#entries-checked").TextContentAsync()
        );

        // Logging out ends the session: the pages send the browser back to the login form.
        await page.ClickAsync("header.bar button:text-is(\"Log out\")");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        Assert.DoesNotContain(await browser.CookiesAsync(), c => c.Name == "cutover.session");
        await page.GotoAsync($"{serve.BaseUrl}/audit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");

        // An operator key reads the pages too; the wave list counts the wave's cutovers by outcome.
        await page.FillAsync("#key", ServeProcess.OperatorKey);
        await page.ClickAsync("#login");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/audit");
        Assert.Equal("olga", await page.Locator("#viewer").TextContentAsync());
        await page.ClickAsync("header.bar nav a:text-is(\"Waves\")");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/waves");
        var waveRow = page.Locator($"#waves tr[data-wave=\"{Wave}\"]");
        Assert.Equal("completed", await waveRow.Locator("td[data-state]").GetAttributeAsync("data-state"));
        foreach (
            var (count, value) in new[]
            {
                ("environments", 2),
                ("completed", 1),
                ("rolled-back", 1),
                ("failed", 0),
                ("in-flight", 0),
                ("not-started", 0),
            }
        )
            Assert.Equal(
                value.ToString(CultureInfo.InvariantCulture),
                await waveRow.Locator($"td[data-count=\"{count}\"]").TextContentAsync()
            );
    }

    /// <summary>The cell carries the exact recorded value and shows it as the report does.</summary>
    static async Task AssertSecondsAsync(ILocator cell, JsonElement expected, string what)
    {
        var exact = await cell.GetAttributeAsync("data-seconds");
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(exact is null, $"{what}: the page shows {exact}, the API none");
            return;
        }
        Assert.True(exact is not null, $"{what}: the API says {expected}, the page shows none");
        Assert.Equal(expected.GetDouble(), double.Parse(exact, CultureInfo.InvariantCulture));
        Assert.Equal(WaveReportHtml.Seconds(expected.GetDouble()), await cell.TextContentAsync());
    }

    static async Task<long> JournalCountAsync(string database)
    {
        await using var c = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM journal";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
