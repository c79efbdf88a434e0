using System.Net;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// One directive of a record (RFC 7208 section 5): its qualifier (+ - ~ ?), its lower-case name, the
/// domain-spec it names (null: the current domain), the prefix lengths applied to the addresses that a and mx
/// find, and for ip4/ip6 the network.
/// </summary>
public sealed record SpfMechanism(
    char Qualifier,
    string Name,
    string? DomainSpec,
    int Ip4PrefixLength,
    int Ip6PrefixLength,
    IPNetwork? Network,
    string Text
);
