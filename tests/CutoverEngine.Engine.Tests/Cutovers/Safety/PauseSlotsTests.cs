using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Safety;
using CutoverEngine.Engine.Tests.Audit;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Tests.Cutovers.Safety;

/// <summary>A held cutover journals cutover-held once per distinct reason, replays included, and records how long it
/// was held once it may pause.</summary>
public sealed class PauseSlotsTests : IDisposable
{
    readonly TempJournal _journal = new();

    public void Dispose() => _journal.Dispose();

    /// <summary>Answers with the holds a test lines up, then claims.</summary>
    sealed class ScriptedClaims(params PauseHold?[] answers) : IPauseClaims
    {
        readonly Queue<PauseHold?> _answers = new(answers);

        public Task<PauseHold?> TryClaimAsync(IReadOnlyList<PauseClaim> asking, CancellationToken ct = default) =>
            Task.FromResult(_answers.TryDequeue(out var answer) ? answer : null);

        public Task ReleaseAsync(string owner, CancellationToken ct = default) => Task.CompletedTask;

        public Task<IReadOnlyList<PauseClaim>> HeldAsync(CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<PauseClaim>>([]);
    }

    static readonly PauseHold Fleet = new(SafetyOptions.MaxPausedEnvironmentsSetting, 2, null, ["a-dev", "b-dev"]);
    static readonly PauseHold Production = new(
        SafetyOptions.OneProductionPausePerCustomerSetting,
        1,
        "Acme Corp",
        ["acme-prod"]
    );

    static CutoverContext Run(CutoverData data) =>
        OneStepRuns.At("await-admission", "AwaitAdmission", TimeSpan.FromHours(1), 2, TimeSpan.FromMinutes(10), data);

    async Task<StepResult?> AskAsync(PauseSlots slots, CutoverContext run) =>
        await slots.HoldAsync(run, held => _journal.Journal.AppendAsync(run.Event(held)), default);

    async Task<List<JournalEntry>> HeldEntriesAsync() =>
        [.. (await _journal.Journal.ReadAsync(new JournalQuery())).Where(e => e.Event == CutoverHeldPayload.Event)];

    [Fact]
    public async Task One_reason_is_journaled_once_however_often_it_holds_and_a_new_one_again()
    {
        var slots = new PauseSlots(
            new ScriptedClaims(Fleet, Fleet, Fleet, Production),
            Options.Create(new SafetyOptions()),
            _journal.Journal,
            _journal.Clock
        );
        var data = new CutoverData { Subject = new CutoverSubject { EnvironmentId = "acme-stg" } };
        var run = Run(data);
        var since = _journal.Clock.GetUtcNow();

        for (var i = 0; i < 2; i++)
        {
            Assert.IsType<StepResult.Waiting>(await AskAsync(slots, run));
            _journal.Clock.Advance(TimeSpan.FromSeconds(2));
        }
        // A crash lost the flag: the journal already has this reason, so the replay writes none.
        data.HeldFor = null;
        Assert.IsType<StepResult.Waiting>(await AskAsync(slots, run));
        var production = Assert.IsType<StepResult.Waiting>(await AskAsync(slots, run));
        _journal.Clock.Advance(TimeSpan.FromSeconds(2));
        var claimed = await AskAsync(slots, run);

        Assert.Null(claimed);
        Assert.Contains("Safety:OneProductionPausePerCustomer (Acme Corp)", production.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), production.Delay);
        var held = await HeldEntriesAsync();
        Assert.Equal(
            ["Safety:MaxPausedEnvironments", "Safety:OneProductionPausePerCustomer"],
            held.Select(e => JournalPayload.Parse(e.Payload).String("cap"))
        );
        Assert.All(held, e => Assert.Equal(since, JournalPayload.Parse(e.Payload).Time("heldSince")));
        Assert.Equal(6, data.HeldSeconds);
    }
}
