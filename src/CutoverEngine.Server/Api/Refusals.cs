using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Reverts;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Engine.Waves.Freezes;

namespace CutoverEngine.Server.Api;

/// <summary>A refusal as HTTP states it: the status, a title, and the details a client acts on.</summary>
public sealed record Refusal(int Status, string? Title, IDictionary<string, object?>? Extensions = null);

/// <summary>
/// Which domain errors are refusals and how each is answered: 404 unknown, 409 state, policy, approvals and
/// ownership conflicts (with what to act on), 400 bad input, 502/503 a system the engine depends on. The one home
/// of that mapping, for the API and the operator pages alike; anything else is a fault (500), not a refusal.
/// </summary>
public static class Refusals
{
    public static Refusal? Of(Exception e) =>
        e switch
        {
            KeyNotFoundException => new(404, null),
            PolicyRefusedException p => new(
                409,
                "Refused by the wave policy",
                new Dictionary<string, object?> { ["violations"] = p.Violations }
            ),
            WaveStateException => new(409, null),
            FreezeCalendarException => new(503, "Refused: the change-freeze calendar cannot be read"),
            WaveNotApprovedException a => new(
                409,
                "Refused: approvals missing",
                new Dictionary<string, object?> { ["missing"] = a.Missing }
            ),
            RevertRefusedException => new(409, "Refused: nothing to revert"),
            RollbackRetryRefusedException => new(409, "Refused: nothing to retry"),
            NoticesFailedException n => new(
                502,
                "The relay did not take the notices; the wave is unchanged",
                new Dictionary<string, object?> { ["environment"] = n.EnvironmentId, ["sentNotRecorded"] = n.Accepted }
            ),
            NoContactsException => new(409, "Refused: nobody to notify"),
            EnvironmentTakenException t => new(
                409,
                "Refused: the environment belongs to another wave",
                new Dictionary<string, object?> { ["environment"] = t.EnvironmentId, ["wave"] = t.OtherWave }
            ),
            PartialRangeGroupException g => new(
                409,
                "Refused: a wave holds all of a range group or none of it",
                new Dictionary<string, object?> { ["problems"] = g.Problems }
            ),
            ArgumentException or FormatException or UnknownEnvironmentException => new(400, null),
            _ => null,
        };
}
