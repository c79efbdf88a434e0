using System.Text.Json;
using System.Text.Json.Nodes;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Reports;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>What a real cutover and a real rollback write is the catalogue's contract, read back by history and the
/// report.</summary>
public sealed class JournalContractTests
{
    static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_cutover_and_a_rollback_write_only_catalogued_kinds_in_their_shapes_and_readers_render_each()
    {
        await using var h = await CutoverHarness.StartAsync();
        var results = await h.RunAsync("acme-stg", "umbrella-stg");
        Assert.Equal([CutoverOutcomes.Completed, CutoverOutcomes.RolledBack], results.Select(r => r.Outcome));

        var entries = await new JournalHistoryReader(h.Engine!.Journal).ReadAllAsync(new JournalQuery { Wave = "e2e" });

        Assert.All(
            entries,
            e =>
            {
                var kind = JournalEventKinds.Find(e.Event);
                Assert.True(kind is not null, $"#{e.Sequence} '{e.Event}' is not in the catalogue");
                // The stored JSON reads back as the kind's own payload type.
                Assert.NotNull(JsonSerializer.Deserialize(e.Payload ?? "null", kind.PayloadType, Wire));
                var summary = JournalEntrySummary.Describe(e);
                Assert.False(
                    string.IsNullOrWhiteSpace(summary) || summary == e.Payload,
                    $"#{e.Sequence} {e.Event} is not rendered: '{summary}'"
                );
            }
        );
        // The two paths between them write every kind a cutover writes unless AWS refuses or a lease renewal fails.
        var written = entries.Select(e => e.Event).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                CutoverStartedPayload.Event,
                StepStartedPayload.Event,
                StepCompletedPayload.Event,
                AwsAttemptPayload.Event,
                AdmissionWaitedPayload.Event,
                ChecksPayload.Event,
                CutoverEngine.Engine.Cutovers.Steps.Downtime.Event,
                StepFailedPayload.Event,
                RollbackStartedPayload.Event,
                IncidentPayload.Event,
            },
            written
        );

        var report = WaveReport.From(JournalHistoryReader.BuildWave("e2e", entries), DateTimeOffset.UtcNow);
        Assert.Equal(
            [CutoverOutcomes.Completed, CutoverOutcomes.RolledBack],
            report.Environments.OrderBy(e => e.Environment).Select(e => e.Outcome)
        );
        // The workflow journals its own start before its first step: each cutover's history begins there, once.
        foreach (var instance in entries.Where(e => e.WorkflowInstance is not null).GroupBy(e => e.WorkflowInstance))
        {
            var ordered = instance.OrderBy(e => e.Sequence).ToList();
            Assert.Equal(CutoverStartedPayload.Event, ordered[0].Event);
            Assert.Single(ordered, e => e.Event == CutoverStartedPayload.Event);
        }
        // Every kind written for an environment reaches its report.
        foreach (var environment in report.Environments)
            Assert.Equal(
                entries.Where(e => e.Environment == environment.Environment).Select(e => e.Event).ToHashSet(),
                environment.JournalEntries.Keys.ToHashSet()
            );
    }

    [Fact]
    public async Task A_step_kind_added_in_a_test_project_runs_in_a_cutover_from_one_definition_line()
    {
        await using var h = await CutoverHarness.StartAsync(definition: d =>
        {
            var steps = d["steps"]!.AsArray();
            var preflight = steps
                .Select((s, i) => (s, i))
                .First(p => p.s!["kind"]!.GetValue<string>() == "Preflight")
                .i;
            steps.Insert(
                preflight + 1,
                JsonNode.Parse("""{ "name": "note-window", "kind": "NoteCutoverWindow", "timeoutSeconds": 10 }""")
            );
        });
        await h.StartEngineAsync(steps: StepKindCatalog.WithEngineAnd(typeof(NoteCutoverWindow).Assembly));

        var result = Assert.Single(await h.RunAsync("acme-stg"));

        Assert.True(result.Outcome == CutoverOutcomes.Completed, result.RollbackCause);
        var journal = await h.Engine!.Journal.ReadAsync(new JournalQuery { Environment = "acme-stg" });
        var noted = Assert.Single(journal, e => e.Event == StepCompletedPayload.Event && e.Step == "note-window");
        Assert.Contains(NoteCutoverWindow.Said, JournalEntrySummary.Describe(noted));
    }
}
