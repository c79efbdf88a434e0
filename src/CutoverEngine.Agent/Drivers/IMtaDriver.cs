namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// What the agent needs of one MTA: stop delivery, start it again, and say what the MTA itself reports. A driver
/// holds no lease (the agent does) and reads the pause state back from the MTA rather than remembering it.
/// </summary>
public interface IMtaDriver
{
    /// <summary>"postfix", "kumomta", ...: for status and logs.</summary>
    string Name { get; }

    /// <param name="lease">How long the pause should last; a driver whose MTA expires pauses by itself passes it
    /// on.</param>
    Task PauseAsync(TimeSpan lease, string reason, CancellationToken ct);

    Task ResumeAsync(CancellationToken ct);

    /// <summary>After a resume is recorded: hands what the pause held to delivery now rather than at the MTA's next
    /// queue scan. Not part of the resume itself, so a lapse is recorded complete without waiting for it.</summary>
    Task DeliverHeldAsync(CancellationToken ct) => Task.CompletedTask;

    Task<MtaStatus> StatusAsync(CancellationToken ct);
}

/// <summary>
/// The MTA's own view. <see cref="Paused"/> is what the MTA says, not what the agent assumes; <see
/// cref="ForeignPause"/>
/// describes a pause the agent did not set (a driver then changes nothing).
/// </summary>
public sealed record MtaStatus(bool Paused, long QueueDepth, long Deferred, IReadOnlyDictionary<string, long> Counters)
{
    public string? ForeignPause { get; init; }
    public string? Detail { get; init; }
}

/// <summary>The MTA refused or could not be reached; the message names the command or URL and what it said.</summary>
public sealed class MtaDriverException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The MTA is paused in a way the agent did not set; nothing was changed.</summary>
public sealed class ForeignPauseException(string message) : Exception(message);
