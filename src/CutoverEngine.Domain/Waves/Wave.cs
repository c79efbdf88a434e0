namespace CutoverEngine.Domain.Waves;

/// <summary>Where a wave is in its life. Wire names: draft, scheduled, running, completed, stopped, cancelled,
/// missed.</summary>
public enum WaveState
{
    Draft,
    Scheduled,
    Running,
    Completed,
    Stopped,
    Cancelled,
    Missed,
}

/// <summary>How a wave orders its cutovers: by tier (development, then staging, then production; file order within a
/// tier) or as listed.</summary>
public enum WaveOrder
{
    Tier,
    Explicit,
}

/// <summary>A wave's state does not allow what was asked; the message names the wave, its state and the
/// operation.</summary>
public sealed class WaveStateException(string message) : InvalidOperationException(message);

/// <summary>
/// A named set of environments cut over together, at most <see cref="Parallel"/> at once, from a planned start.
/// Immutable: each operation returns the wave in its new state, or throws <see cref="WaveStateException"/>.
/// States: draft -> scheduled -> running -> completed; running -> stopped -> running (resume);
/// draft/scheduled/stopped/missed -> cancelled; scheduled -> missed (fell due while the host was down, beyond the
/// grace).
/// </summary>
/// <param name="Id">Unique name ([a-z0-9-], at most 63 characters).</param>
/// <param name="Environments">Inventory ids, as listed (unique, at least one).</param>
/// <param name="PlannedStart">The start announced to customers (UTC); what notice periods are measured against.</param>
/// <param name="Parallel">Cutovers in flight at once, at least 1.</param>
/// <param name="ScheduledFor">When the scheduler starts the wave; set while scheduled (and kept afterwards for the
/// record).</param>
/// <param name="StateReason">Why the wave was last cancelled, missed or stopped; null otherwise.</param>
public sealed record Wave(
    string Id,
    IReadOnlyList<string> Environments,
    DateTimeOffset PlannedStart,
    int Parallel,
    WaveOrder Order,
    WaveState State,
    DateTimeOffset? ScheduledFor,
    string? StateReason
)
{
    public const int MaxIdLength = 63;

    /// <summary>A new draft wave; the arguments are validated with messages naming the field.</summary>
    public static Wave Draft(
        string id,
        IEnumerable<string> environments,
        DateTimeOffset plannedStart,
        int parallel,
        WaveOrder order
    )
    {
        ValidateId(id);
        ArgumentNullException.ThrowIfNull(environments);
        var list = new List<string>();
        foreach (var environment in environments)
        {
            if (string.IsNullOrWhiteSpace(environment))
                throw new ArgumentException($"Wave '{id}': an environment id is empty.", nameof(environments));
            if (list.Contains(environment, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Wave '{id}': environment '{environment}' is listed twice.",
                    nameof(environments)
                );
            list.Add(environment);
        }
        if (list.Count == 0)
            throw new ArgumentException($"Wave '{id}' has no environment; name at least one.", nameof(environments));
        if (parallel < 1)
            throw new ArgumentOutOfRangeException(
                nameof(parallel),
                parallel,
                $"Wave '{id}': parallel must be at least 1 (got {parallel})."
            );
        return new Wave(id, list, plannedStart.ToUniversalTime(), parallel, order, WaveState.Draft, null, null);
    }

    public static void ValidateId(string id)
    {
        if (
            string.IsNullOrEmpty(id)
            || id.Length > MaxIdLength
            || !id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        )
            throw new ArgumentException(
                $"Wave id '{id}' is invalid: use 1 to {MaxIdLength} characters of a-z, 0-9 and '-'.",
                nameof(id)
            );
    }

    /// <summary>True once nothing more will happen to the wave by itself.</summary>
    public bool IsFinal => State is WaveState.Completed or WaveState.Cancelled;

    /// <summary>Schedules (or reschedules) the start; allowed from draft, scheduled and missed.</summary>
    public Wave Schedule(DateTimeOffset at)
    {
        Require("schedule", WaveState.Draft, WaveState.Scheduled, WaveState.Missed);
        return this with { State = WaveState.Scheduled, ScheduledFor = at.ToUniversalTime(), StateReason = null };
    }

    /// <summary>Starts now (by hand or by the scheduler); allowed from draft and scheduled.</summary>
    public Wave Start()
    {
        Require("start", WaveState.Draft, WaveState.Scheduled);
        return this with { State = WaveState.Running, StateReason = null };
    }

    /// <summary>No new cutover starts; the ones in flight finish or roll back.</summary>
    public Wave Stop(string reason)
    {
        RequireReason(reason, "stop");
        Require("stop", WaveState.Running);
        return this with { State = WaveState.Stopped, StateReason = reason };
    }

    /// <summary>Continues a stopped wave from where it stopped.</summary>
    public Wave Resume()
    {
        Require("resume", WaveState.Stopped);
        return this with { State = WaveState.Running, StateReason = null };
    }

    public Wave Complete()
    {
        Require("complete", WaveState.Running);
        return this with { State = WaveState.Completed, StateReason = null };
    }

    public Wave Cancel(string reason)
    {
        RequireReason(reason, "cancel");
        Require("cancel", WaveState.Draft, WaveState.Scheduled, WaveState.Stopped, WaveState.Missed);
        return this with { State = WaveState.Cancelled, StateReason = reason };
    }

    public Wave Miss(string reason)
    {
        Require("mark missed", WaveState.Scheduled);
        return this with { State = WaveState.Missed, StateReason = reason };
    }

    void Require(string operation, params WaveState[] allowed)
    {
        if (!allowed.Contains(State))
            throw new WaveStateException(
                $"Cannot {operation} wave '{Id}': it is {WaveNames.Of(State)}; {operation} needs it {string.Join(" or ", allowed.Select(WaveNames.Of))}."
            );
    }

    void RequireReason(string reason, string operation)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException($"To {operation} wave '{Id}' a reason is required.", nameof(reason));
    }
}
