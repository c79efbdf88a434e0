using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Persistence;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Persistence;

/// <summary>
/// WorkflowCore's writes and the journal's share the file's one writer: writes queued together commit together, each
/// in its own savepoint, so a refused write fails alone. The test holds the writer's gate to queue writes, no timing.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    static WorkflowInstance Instance(string id) =>
        new()
        {
            Id = id,
            WorkflowDefinitionId = "cutover",
            Version = 1,
            Status = WorkflowStatus.Runnable,
            NextExecution = 0,
            CreateTime = new DateTime(2026, 11, 26, 22, 0, 0, DateTimeKind.Utc),
            Data = new CutoverPlanData { Customer = id },
        };

    [Fact]
    public async Task Workflow_writes_and_journal_entries_queued_together_share_a_commit_and_a_refused_one_fails_alone()
    {
        var provider = _db.NewProvider();
        var journal = new SqliteJournal(_db.Path, TimeProvider.System);
        await provider.CreateNewWorkflow(Instance("cutover-acme-dev"));
        await journal.AppendAsync(new JournalEvent("cutover-started", "scheduler") { Environment = "acme-dev" });
        var writer = SqliteGroupCommit.For(_db.Path);
        var before = writer.TransactionsCommitted;

        await writer.Gate.WaitAsync();
        var second = provider.CreateNewWorkflow(Instance("cutover-acme-stg"));
        var duplicate = provider.CreateNewWorkflow(Instance("cutover-acme-dev"));
        var entry = journal.AppendAsync(new JournalEvent("cutover-started", "scheduler") { Environment = "acme-stg" });
        var third = provider.CreateNewWorkflow(Instance("cutover-acme-prod"));
        Assert.False(second.IsCompleted || entry.IsCompleted || third.IsCompleted);
        writer.Gate.Release();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => duplicate);
        Assert.Contains("cutover-acme-dev", refused.Message);
        Assert.Equal("cutover-acme-stg", await second);
        Assert.Equal("cutover-acme-prod", await third);
        Assert.Equal(2, (await entry).Sequence);
        Assert.Equal(1, writer.TransactionsCommitted - before);
        Assert.Equal(3, _db.Scalar("SELECT count(*) FROM workflow_instance"));
        var verification = await new JournalVerifier(_db.Path).VerifyAsync();
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal(2, verification.EntriesChecked);
    }
}
