namespace CutoverEngine.Aws.Resilience;

/// <summary>
/// The journal's coarse class of a failed attempt (<see cref="AwsFaultClassifier.ClassOf(AwsFault)"/>), recorded
/// with the attempt so that readers count throttles without knowing AWS's error codes.
/// </summary>
public enum AwsFaultClass
{
    /// <summary>AWS asked the engine to slow down.</summary>
    Throttle,

    /// <summary>AWS or the path to it failed, or time ran out: the same request may succeed later.</summary>
    Transient,

    /// <summary>The request is wrong, unauthorized or names something missing: repeating it cannot help.</summary>
    Permanent,
}
