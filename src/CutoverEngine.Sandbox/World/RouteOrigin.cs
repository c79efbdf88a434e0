namespace CutoverEngine.Sandbox.World;

/// <summary>An autonomous system announcing a prefix, as a route collector sees it.</summary>
public sealed record RouteOrigin(long Asn, string Holder);
