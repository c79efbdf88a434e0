namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>What became of one owner's changes: the change that carried them, and who else it carried.</summary>
public sealed record ZoneChangeOutcome(ChangeInfo Change, IReadOnlyList<string> BatchedWith)
{
    public bool AlreadyInPlace => Change.AlreadyInPlace;
}
