using System.Globalization;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>
/// When one environment of a wave may have its sending paused, and for how long at most: what its customer is told.
/// </summary>
/// <param name="Position">Its cutover's place in the wave's start order (<see cref="WaveSequence"/>), from 0; the
/// environments of a range group share one.</param>
/// <param name="Slot">Position / parallel: how many rounds of cutovers start before it at most.</param>
/// <param name="Budget">The longest its sending stays paused (<see cref="WindowBudget"/>).</param>
/// <param name="Opens">The wave's start.</param>
/// <param name="Closes">The latest its pause is expected to end.</param>
public sealed record EnvironmentWindow(
    CutoverEnvironment Environment,
    int Position,
    int Slot,
    TimeSpan Budget,
    DateTimeOffset Opens,
    DateTimeOffset Closes
)
{
    /// <summary>
    /// The windows of a wave's environments, in start order. The wave starts at its scheduled time, else its planned
    /// one. The runner starts the next cutover as soon as fewer than parallel run (WaveRunner), never at a slot
    /// boundary, so any environment may be paused from the wave's start on: when the cutovers ahead of it finish in
    /// minutes, as they usually do, it follows at once. The window therefore opens at the wave's start for everyone
    /// and closes, for slot k, after k rounds of the longest budget of each earlier slot plus its own budget: if no
    /// cutover ahead holds its lane longer than its budget, every environment of slot k has started by the end of
    /// the k earlier rounds (the runner starts in order whenever a lane is free), and its pause ends within its own
    /// budget after that. Steps before the pause (preflight, snapshot, admission) hold a lane without pausing anyone;
    /// a wave that waits long there can run past the close, which the engine does not enforce. The budget it does.
    /// </summary>
    /// <param name="environments">The wave's environments (any order; the wave's order is applied).</param>
    /// <param name="definitionBudget">The budget of the cutover definition the wave will run.</param>
    public static IReadOnlyList<EnvironmentWindow> InWave(
        Wave wave,
        IReadOnlyList<CutoverEnvironment> environments,
        TimeSpan definitionBudget
    )
    {
        ArgumentNullException.ThrowIfNull(wave);
        var start = wave.ScheduledFor ?? wave.PlannedStart;
        // A range group is one cutover: its environments share one position and so one slot.
        var moves = WaveSequence.Moves(environments, wave.Order);
        var windows = new List<EnvironmentWindow>(environments.Count);
        var slotStart = start;
        var slotLength = TimeSpan.Zero;
        for (var position = 0; position < moves.Count; position++)
        {
            var slot = position / wave.Parallel;
            if (position > 0 && slot != windows[^1].Slot)
            {
                slotStart += slotLength;
                slotLength = TimeSpan.Zero;
            }
            foreach (var environment in moves[position])
            {
                var budget = WindowBudget.For(environment, definitionBudget);
                if (budget > slotLength)
                    slotLength = budget;
                windows.Add(new EnvironmentWindow(environment, position, slot, budget, start, slotStart + budget));
            }
        }
        return windows;
    }

    /// <summary>
    /// "sending paused for at most 60 minutes between 08:00 and 09:00 UTC on 2026-06-11", whole minutes rounded
    /// outwards so the stated window always contains the real one.
    /// </summary>
    public string Describe()
    {
        var opens = FloorToMinute(Opens.ToUniversalTime());
        var closes = CeilingToMinute(Closes.ToUniversalTime());
        var i = CultureInfo.InvariantCulture;
        var paused = string.Create(i, $"sending paused for at most {Budget.TotalMinutes:0.#} minutes");
        return opens.Date == closes.Date
            ? string.Create(i, $"{paused} between {opens:HH:mm} and {closes:HH:mm} UTC on {opens:yyyy-MM-dd}")
            : string.Create(i, $"{paused} between {opens:yyyy-MM-dd HH:mm} and {closes:yyyy-MM-dd HH:mm} UTC");
    }

    static DateTimeOffset FloorToMinute(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    static DateTimeOffset CeilingToMinute(DateTimeOffset t) =>
        t.Ticks % TimeSpan.TicksPerMinute == 0 ? t : FloorToMinute(t).AddMinutes(1);
}
