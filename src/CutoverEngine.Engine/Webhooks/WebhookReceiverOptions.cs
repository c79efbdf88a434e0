namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// One receiver of signed webhooks (<c>Webhooks:Receivers:N</c>). The secret comes from exactly one of
/// <see cref="Secret"/>, <see cref="SecretEnv"/> or <see cref="SecretFile"/>; it is never logged or journaled.
/// </summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>Names the receiver in the journal and the logs (the URL is not written there: chat webhook URLs are
    /// secrets themselves). Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute http or https URL the events are POSTed to. Required.</summary>
    public string Url { get; set; } = "";

    /// <summary>The signing secret itself (prefer <see cref="SecretEnv"/> or <see cref="SecretFile"/>).</summary>
    public string? Secret { get; set; }

    /// <summary>Name of an environment variable holding the secret.</summary>
    public string? SecretEnv { get; set; }

    /// <summary>File holding the secret (surrounding white space is dropped).</summary>
    public string? SecretFile { get; set; }

    /// <summary>The webhook event names sent (<see cref="WebhookEvents.All"/>). Default empty: every event.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>null: the plain JSON body; "slack": the same body with a Slack-compatible <c>text</c> field.</summary>
    public string? Format { get; set; }

    public const string SlackFormat = "slack";

    public bool IsSlack => string.Equals(Format, SlackFormat, StringComparison.OrdinalIgnoreCase);

    public bool Accepts(string webhookEvent) => Events.Count == 0 || Events.Contains(webhookEvent);

    /// <summary>The secret from wherever it is configured.</summary>
    /// <exception cref="InvalidOperationException">It cannot be read; the message names the setting, never the
    /// secret.</exception>
    public string ResolveSecret(string at)
    {
        if (!string.IsNullOrEmpty(Secret))
            return Secret;
        if (!string.IsNullOrWhiteSpace(SecretEnv))
            return Environment.GetEnvironmentVariable(SecretEnv) is { Length: > 0 } fromEnv
                ? fromEnv
                : throw new InvalidOperationException(
                    $"{at}:SecretEnv: the environment variable {SecretEnv} is not set or empty"
                );
        if (!string.IsNullOrWhiteSpace(SecretFile))
        {
            try
            {
                return File.ReadAllText(SecretFile).Trim() is { Length: > 0 } fromFile
                    ? fromFile
                    : throw new InvalidOperationException($"{at}:SecretFile: {Path.GetFullPath(SecretFile)} is empty");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"{at}:SecretFile: {Path.GetFullPath(SecretFile)} cannot be read: {e.Message}",
                    e
                );
            }
        }
        throw new InvalidOperationException($"{at}: no secret: set Secret, SecretEnv or SecretFile");
    }

    internal IEnumerable<string> Validate(string at)
    {
        if (string.IsNullOrWhiteSpace(Name))
            yield return $"{at}:Name: required (it names the receiver in the journal)";
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return $"{at}:Url: '{Url}' is not an absolute http or https URL";
        var sources = new[] { Secret, SecretEnv, SecretFile }.Count(s => !string.IsNullOrEmpty(s));
        if (sources != 1)
            yield return $"{at}: give the secret exactly one way (Secret, SecretEnv or SecretFile), not {sources}";
        else
        {
            string? problem = null;
            try
            {
                ResolveSecret(at);
            }
            catch (InvalidOperationException e)
            {
                problem = e.Message;
            }
            if (problem is not null)
                yield return problem;
        }
        foreach (var name in Events.Where(e => !WebhookEvents.All.Contains(e)))
            yield return $"{at}:Events: '{name}' is not a webhook event (known: {string.Join(", ", WebhookEvents.All)})";
        if (Format is not null && !IsSlack)
            yield return $"{at}:Format: '{Format}' is not known (leave it out, or \"{SlackFormat}\")";
    }
}
