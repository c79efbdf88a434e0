using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Server.Authentication;
using CutoverEngine.Server.Pages;

namespace CutoverEngine.Server.Tests.Pages;

/// <summary>The auditor pages' renderers on their own: data from files and the journal is shown, never
/// executed.</summary>
public sealed class AuditorPageRenderingTests
{
    const string Hostile = "<script>alert('x')</script>\"&<img src=x onerror=alert(1)>";
    static readonly PageViewer Viewer = new("audrey <b>", "auditor", "token\"><script>");

    static void AssertInert(string html)
    {
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wave_page_encodes_environment_ids_customers_and_causes()
    {
        var wave = new Wave(
            "w1",
            [Hostile, "acme-stg"],
            DateTimeOffset.Parse("2026-11-26T10:00:00Z"),
            1,
            WaveOrder.Explicit,
            WaveState.Completed,
            null,
            Hostile
        );
        var report = new WaveReport
        {
            Wave = "w1",
            Environments =
            [
                new EnvironmentReport
                {
                    Environment = Hostile,
                    Customer = Hostile,
                    Outcome = "rolled-back",
                    RollbackCause = Hostile,
                    EngineDowntimeSeconds = 12.34,
                },
            ],
        };
        var html = await WavePage.RenderAsync(
            wave,
            report,
            [new WaveEvent(1, DateTimeOffset.UtcNow, "wave-created", Hostile, Hostile, Hostile)],
            Viewer,
            production: false,
            new ApprovalStanding(0, 0, []),
            DateTimeOffset.UtcNow
        );

        AssertInert(html);
        // HtmlRenderer encodes with HtmlEncoder.Default, which writes the apostrophe as &#x27; (WebUtility wrote
        // &#39;).
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html);
        // The link to the environment escapes the id as a path segment.
        Assert.Contains("href=\"/environments/%3Cscript%3Ealert", html);
        // acme-stg is in the wave but not in the journal yet: listed as not started.
        Assert.Contains("data-environment=\"acme-stg\"", html);
        Assert.Contains("data-outcome=\"not-started\"", html);
        Assert.Contains("data-seconds=\"12.34\"", html);
    }

    [Fact]
    public async Task The_environment_timeline_encodes_journal_fields()
    {
        var entries = new[]
        {
            new JournalEntry
            {
                Sequence = 7,
                At = DateTimeOffset.UtcNow,
                Actor = Hostile,
                Event = "step-failed",
                Wave = "w1",
                Environment = Hostile,
                Step = Hostile,
                Payload = "{\"cause\":\"" + Hostile.Replace("\"", "\\\"") + "\"}",
                PayloadHash = "h",
            },
        };
        var html = await EnvironmentPage.RenderAsync(Hostile, null, entries, Viewer);
        AssertInert(html);
        Assert.Contains("not in the inventory", html);
        Assert.Contains("href=\"/waves/w1\"", html);
    }

    [Fact]
    public async Task The_chain_page_names_the_first_bad_entry()
    {
        var result = new JournalVerification
        {
            EntriesChecked = 42,
            LastSequence = 41,
            LastHash = "abc",
            FirstBreak = new JournalBreak(42, JournalBreakKind.HashMismatch, "hash mismatch: " + Hostile)
            {
                Event = "step-completed",
                Environment = "acme-stg",
                At = "2026-11-26",
            },
        };
        var html = await ChainStatusPage.RenderAsync(result, Viewer);
        AssertInert(html);
        Assert.Contains("data-status=\"broken\"", html);
        Assert.Contains("data-sequence=\"42\"", html);
        Assert.Contains("entries #1 to #41", html);
        Assert.DoesNotContain("data-status=\"verified\"", html);
    }

    [Fact]
    public void The_wave_list_counts_cutovers_by_outcome()
    {
        var wave = new Wave(
            "w1",
            ["a", "b", "c", "d", "e"],
            DateTimeOffset.UtcNow,
            2,
            WaveOrder.Tier,
            WaveState.Running,
            null,
            null
        );
        var row = WaveListRow.Of(
            wave,
            new Dictionary<string, string?>
            {
                ["a"] = "completed",
                ["b"] = "rolled-back",
                ["c"] = null,
                ["d"] = "failed",
                ["elsewhere"] = "completed",
            }
        );
        Assert.Equal((1, 1, 1, 1, 1), (row.Completed, row.RolledBack, row.Failed, row.InFlight, row.NotStarted));
    }

    [Fact]
    public void A_session_ends_when_its_key_is_removed_or_changes_role()
    {
        var olga = new ApiKeyEntry
        {
            Name = "olga",
            Key = "op-key-0123456789abcdef",
            Role = "operator",
        };
        var session = ApiKeyDirectory.Fingerprint(olga);
        Assert.True(new ApiKeyDirectory([olga]).IsCurrent(session));
        Assert.False(
            new ApiKeyDirectory([
                new ApiKeyEntry
                {
                    Name = "olga",
                    Key = olga.Key,
                    Role = "auditor",
                },
            ]).IsCurrent(session)
        );
        Assert.False(
            new ApiKeyDirectory([
                new ApiKeyEntry
                {
                    Name = "olga",
                    Key = "op-key-rotated-0123456789",
                    Role = "operator",
                },
            ]).IsCurrent(session)
        );
        Assert.False(new ApiKeyDirectory([olga]).IsCurrent(null));
        Assert.DoesNotContain(olga.Key, session);
    }

    [Theory]
    [InlineData("/waves/w1", "/waves/w1")]
    [InlineData("/audit?x=1", "/audit?x=1")]
    [InlineData("//evil.example/", "/waves")]
    [InlineData("/\\evil.example", "/waves")]
    [InlineData("https://evil.example/", "/waves")]
    [InlineData("", "/waves")]
    [InlineData(null, "/waves")]
    public void After_login_only_paths_on_this_site_are_followed(string? returnUrl, string expected) =>
        Assert.Equal(expected, PageSessions.SafeReturnPath(returnUrl));

    [Fact]
    public async Task The_login_page_keeps_the_return_path_encoded_and_shows_the_error()
    {
        var html = await LoginPage.RenderAsync("t", "/waves/\"><script>", "That is not a valid API key.");
        AssertInert(html);
        Assert.Contains("id=\"login-error\"", html);
        Assert.Contains("name=\"__antiforgery\" value=\"t\"", html);
    }
}
