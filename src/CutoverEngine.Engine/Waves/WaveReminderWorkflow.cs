using CutoverEngine.Engine.Hosting;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

/// <summary>What a wave-reminder workflow carries: the wave, the start it reminds of, and when to send.</summary>
public sealed class WaveReminderData
{
    public string WaveId { get; set; } = "";

    public DateTimeOffset ScheduledFor { get; set; }

    public DateTimeOffset RemindAt { get; set; }
}

/// <summary>
/// "wave-reminder" v1: sleeps in WorkflowCore's store until the reminder's instant, then hands it to
/// <see cref="WaveReminders.OnDueAsync"/>, as <see cref="WaveStartWorkflow"/> does for the start.
/// </summary>
public sealed class WaveReminderWorkflow : IWorkflow<WaveReminderData>, IEngineWorkflow
{
    public const string DefinitionId = "wave-reminder";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<WaveReminderData> builder) =>
        builder.StartWith<AwaitReminderTime>().Name("await-reminder-time").Then<SendWaveReminder>().Name("remind");

    public void Register(IWorkflowRegistry registry)
    {
        if (!registry.IsRegistered(DefinitionId, DefinitionVersion))
            registry.RegisterWorkflow(this);
    }
}
