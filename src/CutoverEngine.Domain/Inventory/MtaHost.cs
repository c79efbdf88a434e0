using System.Net;

namespace CutoverEngine.Domain.Inventory;

/// <summary>One MTA host name of an environment, as it is today and where it goes.</summary>
/// <param name="Name">The host name (an A record in the environment's hosted zone), lower case, no trailing
/// dot.</param>
/// <param name="CurrentAddress">The IPv4 address the host name resolves to before the cutover.</param>
/// <param name="Target">The new MTA on AWS.</param>
public sealed record MtaHost(string Name, IPAddress CurrentAddress, MtaTarget Target);
