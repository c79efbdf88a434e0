using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Hosting;

/// <summary>
/// WorkflowCore's clock over the engine's <see cref="TimeProvider"/>. WorkflowCore 3.22 reads time only through
/// <see cref="IDateTimeProvider"/> where it matters for durable delays: the runnable poller asks the store for
/// instances due at <c>Now</c> and for scheduled commands due at <c>UtcNow</c>; a step's <c>Sleep</c> is stored as
/// <c>UtcNow + period</c>. So one fake clock (FakeTimeProvider) drives the engine, its steps and WorkflowCore alike.
/// </summary>
public sealed class TimeProviderDateTime(TimeProvider clock) : IDateTimeProvider
{
    /// <summary>Local time, <see cref="DateTimeKind.Local"/>: the poller passes it to the store, which converts to
    /// UTC.</summary>
    public DateTime Now => clock.GetUtcNow().LocalDateTime;

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;
}
