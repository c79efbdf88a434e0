using System.Globalization;
using CutoverEngine.Domain.Customers;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Waves;

namespace CutoverEngine.Engine.Customers;

/// <summary>
/// A customer's view of its migration, read from the waves and the journal when asked: the windows of its
/// environments (<see cref="EnvironmentWindow"/>, the rule its notices state) and, once cut over, the downtime
/// measured. Served as JSON and as an iCalendar feed (<see cref="WindowCalendar"/>).
/// </summary>
public sealed class CustomerFeed(
    WaveService waves,
    DefinitionCatalog definitions,
    ICutoverJournal journal,
    TimeProvider clock
)
{
    /// <summary>Null when the inventory has no such customer.</summary>
    public async Task<CustomerStatus?> ReadAsync(string customerId, CancellationToken ct = default)
    {
        var directory = new CustomerDirectory(waves.Inventory);
        var name = directory.NameOf(customerId);
        if (name is null)
            return null;
        var own = directory.EnvironmentsOf(customerId);
        var ownIds = own.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var budget = definitions.Latest(CutoverLauncher.DefinitionId).WindowBudget;
        var windows = new Dictionary<string, List<CustomerWindow>>(StringComparer.Ordinal);
        foreach (var wave in await waves.Store.ListAsync(ct: ct))
        {
            if (!wave.Environments.Any(ownIds.Contains))
                continue;
            // The whole wave decides each window (order, parallel, the budgets ahead); only the customer's own leave.
            var members = wave.Environments.Select(waves.Inventory.FindEnvironment).OfType<CutoverEnvironment>();
            foreach (var w in EnvironmentWindow.InWave(wave, [.. members], budget))
            {
                if (!ownIds.Contains(w.Environment.Id))
                    continue;
                if (!windows.TryGetValue(w.Environment.Id, out var list))
                    windows[w.Environment.Id] = list = [];
                list.Add(
                    new CustomerWindow(
                        wave.Id,
                        wave.State.ToWireName(),
                        w.Opens,
                        w.Closes,
                        w.Budget.TotalMinutes,
                        w.Describe()
                    )
                );
            }
        }
        var environments = new List<CustomerEnvironmentStatus>(own.Count);
        foreach (var e in own)
        {
            var entries = await journal.ReadAsync(new JournalQuery { Environment = e.Id }, ct);
            CustomerCutover? last = null;
            if (entries.Count > 0)
            {
                var history = JournalHistoryReader.BuildEnvironment(e.Id, entries);
                last = new CustomerCutover(
                    history.Wave,
                    history.Outcome,
                    history.Downtime?.PausedAt,
                    history.Downtime?.ResumedAt,
                    history.Downtime?.DowntimeSeconds,
                    history.Downtime?.WindowBudgetSeconds,
                    [.. history.AffectedFunctions.Select(a => new CustomerFunctionIncident(a.Function, a.At))]
                );
            }
            environments.Add(
                new CustomerEnvironmentStatus(
                    e.Id,
                    e.Tier.ToWireName(),
                    e.SendingDomain,
                    [.. (windows.GetValueOrDefault(e.Id) ?? []).OrderBy(w => w.Opens)],
                    last
                )
            );
        }
        return new CustomerStatus(customerId, name, clock.GetUtcNow(), environments);
    }

    /// <summary>The customer's windows as iCalendar events: one per environment and wave, cancelled waves marked
    /// CANCELLED so that a subscribed calendar drops them.</summary>
    public static string Calendar(CustomerStatus status)
    {
        var events = new List<CalendarWindow>();
        foreach (var e in status.Environments)
        foreach (var w in e.Windows)
        {
            var downtime =
                e.LastCutover is { Wave: var wave, DowntimeSeconds: { } seconds } && wave == w.Wave
                    ? string.Create(CultureInfo.InvariantCulture, $" Measured: sending paused {seconds:0} s.")
                    : "";
            events.Add(
                new CalendarWindow(
                    WindowCalendar.EventUid(w.Wave, e.Id),
                    // A published feed is re-read whole; the revision number matters to invitations, not to it.
                    0,
                    w.Opens,
                    w.Closes,
                    $"{status.Customer}: email sending maintenance ({e.Id})",
                    $"{e.Id} ({e.SendingDomain}), wave {w.Wave} ({w.State}): {w.Description}.{downtime}",
                    w.State == WaveState.Cancelled.ToWireName()
                )
            );
        }
        return WindowCalendar.Write(events, status.GeneratedAt, $"{status.Customer}: maintenance windows");
    }
}
