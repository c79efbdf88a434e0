namespace CutoverEngine.Domain.Inventory;

/// <summary>How the sending IPs move to AWS. Wire names: elastic-ip, byoip.</summary>
public enum IpStrategy
{
    /// <summary>New addresses: Elastic IPs are associated to the new MTAs and the host names repointed.</summary>
    ElasticIp,

    /// <summary>Keep the addresses: the customer's range is advertised from AWS; the A records stay.</summary>
    Byoip,
}
