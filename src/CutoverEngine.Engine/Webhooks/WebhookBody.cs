using System.Text.Json;
using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// The JSON body of one event: its id and name, the journal entry it was made from (sequence, time, wave,
/// environment, actor, one-line summary) and that entry's payload as <c>data</c>. For a Slack receiver the same body
/// also carries <c>text</c>, which Slack's incoming webhooks post (they ignore the other fields).
/// </summary>
public static class WebhookBody
{
    public static byte[] For(JournalEntry entry, string webhookEvent, bool slack)
    {
        var summary = JournalEntrySummary.Describe(entry);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", WebhookEvents.IdOf(entry));
            json.WriteString("event", webhookEvent);
            json.WriteString("occurredAt", entry.At.ToUniversalTime());
            json.WriteString("journalEvent", entry.Event);
            json.WriteNumber("sequence", entry.Sequence);
            WriteOptional(json, "wave", entry.Wave);
            WriteOptional(json, "environment", entry.Environment);
            WriteOptional(json, "step", entry.Step);
            json.WriteString("actor", entry.Actor);
            json.WriteString("summary", summary);
            json.WritePropertyName("data");
            var payload = JournalPayload.Parse(entry.Payload);
            if (payload.IsPresent)
                payload.Root.WriteTo(json);
            else
                json.WriteNullValue();
            if (slack)
                json.WriteString("text", SlackText(entry, webhookEvent, summary));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>One line: what happened, to which environment of which wave, and the journal's summary.</summary>
    public static string SlackText(JournalEntry entry, string webhookEvent, string summary)
    {
        var subject = (entry.Environment, entry.Wave) switch
        {
            ({ } environment, { } wave) => $" {environment} (wave {wave})",
            ({ } environment, null) => $" {environment}",
            (null, { } wave) => $" wave {wave}",
            _ => "",
        };
        return $"[cutover] {webhookEvent}{subject}: {summary}";
    }

    static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
            json.WriteString(name, value);
    }
}
