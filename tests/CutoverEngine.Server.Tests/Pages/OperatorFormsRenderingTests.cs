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

/// <summary>The environment page offers an operator the retry of a rollback held for one, and nobody else.</summary>
public sealed class RetryFormRenderingTests
{
    static CutoverEngine.Domain.Inventory.CutoverEnvironment AcmeProd()
    {
        var file = Path.Combine(
            Path.GetDirectoryName(CutoverEngine.Engine.Definitions.DefinitionLoader.FindWorkflowsDirectory())!,
            "infra",
            "inventory",
            "sandbox.yaml"
        );
        var loaded = CutoverEngine.Domain.Inventory.InventoryLoader.Parse(File.ReadAllText(file), file);
        return loaded.Inventory!.FindEnvironment("acme-prod")!;
    }

    static CutoverEngine.Engine.Audit.JournalEntry Entry(long sequence, string @event, string payload = "{}") =>
        new()
        {
            Sequence = sequence,
            At = DateTimeOffset.UtcNow,
            Actor = "engine",
            Event = @event,
            Environment = "acme-prod",
            Step = "restore-ips",
            Payload = payload,
            PayloadHash = "h",
        };

    [Fact]
    public async Task Only_a_held_rollback_gets_a_retry_form_and_only_for_an_operator()
    {
        IReadOnlyList<CutoverEngine.Engine.Audit.JournalEntry> held =
        [
            Entry(1, "cutover-started"),
            Entry(2, "rollback-stuck", "{\"holding\":true}"),
        ];
        IReadOnlyList<CutoverEngine.Engine.Audit.JournalEntry> asked = [.. held, Entry(3, "rollback-retry-requested")];
        async Task<string> RenderAsync(IReadOnlyList<CutoverEngine.Engine.Audit.JournalEntry> entries, string role) =>
            await EnvironmentPage.RenderAsync("acme-prod", AcmeProd(), entries, new PageViewer("someone", role, "t"));

        var operatorHeld = await RenderAsync(held, "operator");
        Assert.Contains("data-action=\"retry\"", operatorHeld, StringComparison.Ordinal);
        Assert.Contains("type <b>acme-prod</b> to confirm", operatorHeld, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"retry\"", await RenderAsync(asked, "operator"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"retry\"", await RenderAsync(held, "auditor"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"retry\"", await RenderAsync(held, "approver"), StringComparison.Ordinal);
    }
}
