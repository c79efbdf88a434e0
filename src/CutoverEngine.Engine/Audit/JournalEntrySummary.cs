using System.Globalization;

namespace CutoverEngine.Engine.Audit;

/// <summary>One line saying what an entry's payload tells: a step's summary, a failure's cause, an outcome, a downtime.</summary>
public static class JournalEntrySummary
{
    static readonly string EmptyPayloadHash = SqliteJournal.HashOf("");

    /// <summary>True when retention removed the payload (an entry written without payload is not pruned).</summary>
    public static bool IsPruned(JournalEntry entry) => entry.Payload is null && entry.PayloadHash != EmptyPayloadHash;

    public static string Describe(JournalEntry entry)
    {
        if (IsPruned(entry))
            return "(payload pruned)";
        var p = JournalPayload.Parse(entry.Payload);
        if (!p.IsPresent)
            return entry.Payload ?? "";
        return entry.Event switch
        {
            JournalEventNames.CutoverStarted => p.String("subject") ?? "",
            JournalEventNames.StepStarted => Join(p.String("kind"), p.Number("timeoutSeconds") is { } t ? $"timeout {Seconds(t)}" : null),
            JournalEventNames.StepCompleted => Join(p.String("summary"), p.Number("ms") is { } ms ? $"{Number(ms)} ms" : null),
            JournalEventNames.StepFailed => p.String("cause") ?? "",
            JournalEventNames.RollbackStarted => Join(p.String("cause"), p.String("step") is { } step ? $"from step {step}" : null),
            JournalEventNames.Checks => DescribeChecks(p),
            JournalEventNames.DowntimeRecorded => DescribeDowntime(p),
            JournalEventNames.Incident => Join(
                p.String("outcome") is { } outcome ? $"{outcome}:" : null,
                p.String("cause"),
                p.String("atStep") is { } at ? $"(at {at})" : null,
                p.Object("downtime").IsPresent ? "; " + DescribeDowntime(p.Object("downtime")) : null),
            JournalEventNames.AwsAttempt => Join(
                p.String("service"), p.String("operation"), p.String("account") is { } account ? $"account {account}" : null,
                p.Integer("attempt") is { } attempt ? $"attempt {attempt}:" : null,
                p.String("httpStatus"), p.String("errorCode"), p.String("outcome") is { } o ? $"-> {o}" : null),
            _ => p.String("summary") ?? p.String("cause") ?? p.String("outcome") ?? p.String("reason") ?? p.String("note") ?? entry.Payload ?? "",
        };
    }

    static string DescribeChecks(JournalPayload p)
    {
        var results = p.Objects("results").ToList();
        var failed = results.Where(r => r.Boolean("passed") != true).Select(r => Join(r.String("check"), r.String("subject"))).ToList();
        var round = p.Integer("round") is { } n ? $"round {n}: " : "";
        var passed = $"{round}{results.Count - failed.Count}/{results.Count} passed";
        return failed.Count == 0 ? passed : $"{passed}; failed: {string.Join(", ", failed)}";
    }

    static string DescribeDowntime(JournalPayload p)
    {
        var text = Join(
            p.Number("downtimeSeconds") is { } d ? $"downtime {Seconds(d)}" : "downtime unknown",
            p.Number("sendingGapSeconds") is { } g ? $"(sending gap {Seconds(g)})" : null,
            p.Number("windowBudgetUsed") is { } used ? $"{Number(used * 100)}% of budget" : null);
        return p.Boolean("measurementsDisagree") == true ? $"{text}; measurements disagree: {p.String("disagreement")}" : text;
    }

    static string Seconds(double s) => Number(s) + " s";

    static string Number(double n) => n.ToString(n == Math.Floor(n) ? "0" : "0.0##", CultureInfo.InvariantCulture);

    static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p))).Replace(" ;", ";", StringComparison.Ordinal);
}
