using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Reports;

namespace CutoverEngine.Engine.Tests.Audit;

/// <summary>Every kind of the catalogue is written by its payload type and read by history and the report.</summary>
public sealed class JournalCatalogueTests : IDisposable
{
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    async Task<IReadOnlyList<JournalEntry>> WriteSamplesAsync()
    {
        foreach (var sample in JournalEventSamples.All)
            await db.AppendAsync(sample);
        return await db.Journal.ReadAsync(new JournalQuery());
    }

    [Fact]
    public void Every_payload_type_is_a_kind_with_its_own_name()
    {
        var payloadTypes = typeof(IJournalPayload)
            .Assembly.GetTypes()
            .Where(t => !t.IsInterface && typeof(IJournalPayload).IsAssignableFrom(t))
            .ToHashSet();

        Assert.Equal(payloadTypes, JournalEventKinds.All.Select(k => k.PayloadType).ToHashSet());
        Assert.Equal(JournalEventKinds.All.Count, JournalEventKinds.All.Select(k => k.Name).Distinct().Count());
        Assert.All(JournalEventKinds.All, k => Assert.Same(k.PayloadType, JournalEventKinds.Find(k.Name)?.PayloadType));
    }

    [Fact]
    public void The_samples_cover_every_kind_once()
    {
        Assert.Equal(
            JournalEventKinds.All.Select(k => k.Name).Order(),
            JournalEventSamples.All.Select(e => e.Event).Order()
        );
    }

    [Fact]
    public async Task History_renders_every_kind_in_words_not_as_its_payload()
    {
        var entries = await WriteSamplesAsync();

        Assert.All(
            entries,
            e =>
            {
                var summary = JournalEntrySummary.Describe(e);
                Assert.False(string.IsNullOrWhiteSpace(summary), $"{e.Event}: empty summary");
                Assert.NotEqual(e.Payload, summary);
            }
        );
    }

    [Fact]
    public async Task The_report_carries_every_kind_as_a_wave_event_or_an_environment_entry()
    {
        var entries = await WriteSamplesAsync();

        var report = WaveReport.From(JournalHistoryReader.BuildWave("wave-1", entries), TempJournal.Start);

        var waveKinds = JournalEventKinds
            .All.Where(k => k.Scope == JournalEventScope.Wave)
            .Select(k => k.Name)
            .ToHashSet();
        Assert.Equal(waveKinds, report.Events.Select(e => e.Event).ToHashSet());
        // The environment's history starts at its cutover-started entry; its cutover kinds follow it in the samples.
        var environment = Assert.Single(report.Environments);
        var cutoverKinds = JournalEventKinds
            .All.Where(k => k.Scope == JournalEventScope.Cutover)
            .Select(k => k.Name)
            .ToHashSet();
        Assert.Equal(cutoverKinds, environment.JournalEntries.Keys.Where(k => !waveKinds.Contains(k)).ToHashSet());
        Assert.Equal(CutoverOutcomes.RolledBack, environment.Outcome);
    }
}
