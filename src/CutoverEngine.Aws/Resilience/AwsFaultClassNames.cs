namespace CutoverEngine.Aws.Resilience;

/// <summary>The wire names of <see cref="AwsFaultClass"/> in the journal.</summary>
public static class AwsFaultClassNames
{
    public const string Throttle = "throttle";
    public const string Transient = "transient";
    public const string Permanent = "permanent";

    public static string ToWireName(this AwsFaultClass fault) =>
        fault switch
        {
            AwsFaultClass.Throttle => Throttle,
            AwsFaultClass.Transient => Transient,
            AwsFaultClass.Permanent => Permanent,
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "not an AWS fault class"),
        };
}
