using System.Collections.Immutable;
using System.Net;

namespace CutoverEngine.Sandbox.World;

/// <summary>An MTA host; counters are updated by the SMTP listeners.</summary>
public sealed class HostState(string id, string name, string site, ImmutableArray<IPAddress> addresses)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public string Site { get; } = site;
    public ImmutableArray<IPAddress> Addresses { get; } = addresses;
    long _accepted;
    public long MessagesAccepted => Interlocked.Read(ref _accepted);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);
}
