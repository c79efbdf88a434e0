namespace CutoverEngine.Aws.Configuration;

/// <summary>
/// How the engine reaches AWS, bound from the <c>Aws</c> section of appsettings.json and from environment
/// variables (<c>Aws__Accounts__0__Id</c>, <c>Aws__ServiceUrl</c>, ...).
/// </summary>
public sealed class AwsOptions
{
    /// <summary>The configuration section these options are bound from: <c>Aws</c>.</summary>
    public const string SectionName = "Aws";

    /// <summary>
    /// The AWS accounts an inventory may name. Quotas are per account, so each account gets its own rate limiters.
    /// Default: none (every call then fails naming the missing account).
    /// </summary>
    public List<AwsAccountOptions> Accounts { get; set; } = [];

    /// <summary>
    /// One endpoint for every service (the sandbox serves Route 53 and EC2 on one URL). Overridden per service by
    /// <see cref="Route53ServiceUrl"/> and <see cref="Ec2ServiceUrl"/>. Default: null (the real AWS endpoints).
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Route 53 endpoint override. Default: null (<c>https://route53.amazonaws.com</c>, or <see
    /// cref="ServiceUrl"/>).</summary>
    public string? Route53ServiceUrl { get; set; }

    /// <summary>EC2 endpoint override. Default: null (the regional EC2 endpoint, or <see
    /// cref="ServiceUrl"/>).</summary>
    public string? Ec2ServiceUrl { get; set; }

    /// <summary>
    /// STS endpoint override (AssumeRole, GetCallerIdentity). Default: null (the account region's STS endpoint, or
    /// <see cref="ServiceUrl"/>).
    /// </summary>
    public string? StsServiceUrl { get; set; }

    /// <summary>STS endpoint override in effect, or null for the SDK's regional endpoint.</summary>
    public string? StsEndpointOverride => StsServiceUrl ?? ServiceUrl;

    /// <summary>Rate limits, retries, timeouts and circuit breakers. Defaults in <see
    /// cref="Resilience.AwsResilienceOptions"/>.</summary>
    public Resilience.AwsResilienceOptions Resilience { get; set; } = new();

    /// <summary>Zone reads shared between cutovers and changes batched per zone. Defaults in <see
    /// cref="Route53.Zones.Route53ZoneOptions"/>.</summary>
    public Route53.Zones.Route53ZoneOptions Route53Zones { get; set; } = new();

    /// <summary>The real Route 53 endpoint, used when no override is configured.</summary>
    public const string DefaultRoute53Endpoint = "https://route53.amazonaws.com";

    /// <summary>Route 53 endpoint in effect.</summary>
    public Uri Route53Endpoint => new(Route53ServiceUrl ?? ServiceUrl ?? DefaultRoute53Endpoint);

    /// <summary>EC2 endpoint override in effect, or null for the SDK's regional endpoint.</summary>
    public string? Ec2EndpointOverride => Ec2ServiceUrl ?? ServiceUrl;

    /// <summary>The account configured under <paramref name="accountId"/>, or a clear error naming what is
    /// configured.</summary>
    public AwsAccountOptions GetAccount(string accountId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        return Accounts.FirstOrDefault(a => string.Equals(a.Id, accountId, StringComparison.Ordinal))
            ?? throw new AwsConfigurationException(
                $"AWS account '{accountId}' is not configured under {SectionName}:Accounts "
                    + $"(configured: {(Accounts.Count == 0 ? "none" : string.Join(", ", Accounts.Select(a => a.Id)))})."
            );
    }

    /// <summary>Checks what binding cannot: ids present and unique, key pairs complete, URLs absolute.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new AwsConfigurationException("Invalid AWS configuration: " + string.Join("; ", problems) + ".");
    }

    /// <summary>What <see cref="Validate"/> refuses, one line per problem naming the setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        for (var i = 0; i < Accounts.Count; i++)
        {
            var a = Accounts[i];
            var where = $"{SectionName}:Accounts:{i}";
            if (string.IsNullOrWhiteSpace(a.Id))
                problems.Add($"{where}:Id is empty");
            if (string.IsNullOrWhiteSpace(a.Region))
                problems.Add($"{where}:Region is empty");
            if (string.IsNullOrEmpty(a.AccessKeyId) != string.IsNullOrEmpty(a.SecretAccessKey))
                problems.Add($"{where}: AccessKeyId and SecretAccessKey must be given together");
            if (!string.IsNullOrEmpty(a.AccessKeyId) && !string.IsNullOrEmpty(a.Profile))
                problems.Add($"{where}: give either static keys or Profile, not both");
            problems.AddRange(a.ValidateRole(where));
        }
        foreach (
            var dup in Accounts
                .Where(a => !string.IsNullOrWhiteSpace(a.Id))
                .GroupBy(a => a.Id)
                .Where(g => g.Count() > 1)
        )
            problems.Add($"{SectionName}:Accounts lists account '{dup.Key}' {dup.Count()} times");
        foreach (
            var (name, url) in new[]
            {
                ("ServiceUrl", ServiceUrl),
                ("Route53ServiceUrl", Route53ServiceUrl),
                ("Ec2ServiceUrl", Ec2ServiceUrl),
                ("StsServiceUrl", StsServiceUrl),
            }
        )
            if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
                problems.Add($"{SectionName}:{name} '{url}' is not an absolute URL");
        problems.AddRange(Resilience.Validate($"{SectionName}:Resilience"));
        problems.AddRange(Route53Zones.Validate($"{SectionName}:Route53Zones"));
        return problems;
    }
}

/// <summary>The AWS configuration names something that does not exist or cannot work.</summary>
public sealed class AwsConfigurationException(string message) : Exception(message);
