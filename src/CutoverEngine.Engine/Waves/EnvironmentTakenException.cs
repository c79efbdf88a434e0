namespace CutoverEngine.Engine.Waves;

/// <summary>
/// A wave may not hold an environment: it is in another active wave, or already cut over. The message names the
/// environment, the other wave and, for a cutover, its instance.
/// </summary>
public sealed class EnvironmentTakenException(string message, string environmentId, string otherWave)
    : InvalidOperationException(message)
{
    public string EnvironmentId { get; } = environmentId;

    public string OtherWave { get; } = otherWave;
}
