using CutoverEngine.Domain.Waves;
using CutoverEngine.Server.Pages;

namespace CutoverEngine.Server.Tests.Pages;

/// <summary>Which forms a wave page offers whom: by role and state, with the production confirmation and the
/// self-reload only while the wave runs.</summary>
public sealed class OperatorFormsRenderingTests
{
    static Wave Wave(WaveState state) =>
        new("w1", ["acme-prod"], DateTimeOffset.Parse("2026-11-26T10:00:00Z"), 1, WaveOrder.Tier, state, null, null);

    static Task<string> RenderAsync(WaveState state, string role, bool production = true) =>
        WavePage.RenderAsync(
            Wave(state),
            null,
            [],
            new PageViewer("someone", role, "t"),
            production,
            new ApprovalStanding(0, 2, ["2 more production approval(s)"]),
            DateTimeOffset.UtcNow
        );

    static string[] Actions(string html) =>
        [
            .. System
                .Text.RegularExpressions.Regex.Matches(html, "data-action=\"([a-z]+)\"")
                .Select(m => m.Groups[1].Value),
        ];

    [Fact]
    public async Task Each_role_sees_only_what_it_may_do()
    {
        Assert.Equal(["schedule", "approve", "start"], Actions(await RenderAsync(WaveState.Scheduled, "operator")));
        Assert.Equal(["approve"], Actions(await RenderAsync(WaveState.Scheduled, "approver")));
        Assert.Empty(Actions(await RenderAsync(WaveState.Scheduled, "auditor")));
        Assert.Equal(["stop"], Actions(await RenderAsync(WaveState.Running, "operator")));
        Assert.Equal(["resume"], Actions(await RenderAsync(WaveState.Stopped, "operator")));
        Assert.Empty(Actions(await RenderAsync(WaveState.Completed, "operator")));
    }

    [Fact]
    public async Task Production_forms_ask_for_the_typed_id_and_a_running_wave_reloads_itself()
    {
        var scheduled = await RenderAsync(WaveState.Scheduled, "operator");
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(scheduled, "name=\"confirm\""));
        Assert.Contains("0 of 2", scheduled, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", scheduled, StringComparison.Ordinal);
        Assert.DoesNotContain(
            "name=\"confirm\"",
            await RenderAsync(WaveState.Scheduled, "operator", production: false)
        );

        var running = await RenderAsync(WaveState.Running, "auditor");
        Assert.Contains("http-equiv=\"refresh\"", running, StringComparison.Ordinal);
        Assert.Contains("id=\"live\"", running, StringComparison.Ordinal);
    }
}
