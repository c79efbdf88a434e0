using System.Collections.Immutable;

namespace CutoverEngine.Aws.Recording;

/// <summary>
/// Labels that say on whose behalf AWS is being called (wave, environment, workflow instance, step), carried with the
/// async flow and copied onto every <see cref="AwsAttempt"/> made inside the scope, so the audit journal can file each
/// attempt under its step without the gateways knowing about workflows.
/// </summary>
public static class AwsCallScope
{
    private static readonly AsyncLocal<ImmutableDictionary<string, string>?> Labels = new();

    /// <summary>The labels in effect here; empty outside any scope.</summary>
    public static IReadOnlyDictionary<string, string> Current =>
        Labels.Value ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>Adds (or overrides) labels until the result is disposed.</summary>
    public static IDisposable Begin(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var previous = Labels.Value;
        Labels.Value = (previous ?? ImmutableDictionary.Create<string, string>(StringComparer.Ordinal)).SetItems(
            labels
        );
        return new Restore(previous);
    }

    /// <summary>Adds one label until the result is disposed.</summary>
    public static IDisposable Begin(string name, string value) =>
        Begin([new KeyValuePair<string, string>(name, value)]);

    private sealed class Restore(ImmutableDictionary<string, string>? previous) : IDisposable
    {
        public void Dispose() => Labels.Value = previous;
    }
}
