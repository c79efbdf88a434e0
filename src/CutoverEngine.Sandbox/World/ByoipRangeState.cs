namespace CutoverEngine.Sandbox.World;

/// <summary>
/// A BYOIP range. Advertise and withdraw take <c>ByoipPropagationSeconds</c> to reach the world's routers:
/// until then the range is pending-advertising / pending-withdrawal and traffic still goes where it went.
/// </summary>
public sealed class ByoipRangeState
{
    public required string Cidr { get; init; }
    public required string AccountId { get; init; }
    public required IpRange Range { get; init; }
    public string State { get; set; } = "provisioned";
    public DateTimeOffset? TransitionAt { get; set; }
    public string? StatusMessage { get; set; }

    /// <summary>Whether the data centre still announces the range; only the network team's withdrawal there (the
    /// sandbox's looking glass, POST /sandbox/withdraw) clears it.</summary>
    public bool AnnouncedFromDataCentre { get; set; } = true;

    /// <summary>The state as the world sees it at <paramref name="now"/>, settling pending transitions
    /// lazily.</summary>
    public string StateAt(DateTimeOffset now)
    {
        if (TransitionAt is { } at && now >= at)
        {
            State = State switch
            {
                "pending-advertising" => "advertised",
                "pending-withdrawal" => "provisioned",
                var s => s,
            };
            TransitionAt = null;
        }
        return State;
    }

    /// <summary>True while AWS announces the range (BGP has converged on AWS).</summary>
    public bool IsAnnouncedByAwsAt(DateTimeOffset now) => StateAt(now) is "advertised" or "pending-withdrawal";
}
