using System.Net;
using System.Xml.Linq;
using CutoverEngine.Sandbox.Tests.Support;

namespace CutoverEngine.Sandbox.Tests.Route53;

/// <summary>The sandbox enforces Route 53's per-account quota and refuses what AWS refuses, signed by AWSSDK.Core's own
/// signer.</summary>
public sealed class Route53QuotaTests
{
    static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    [Fact]
    public async Task Concurrent_callers_are_accepted_at_the_quota_and_the_rest_throttled()
    {
        await using var sandbox = await SandboxWorlds.StartAsync(SandboxWorlds.Generated(3));
        var account = sandbox.Topology.Accounts[0];
        using var http = new SignedHttp(sandbox.AwsEndpoint, account);
        var window = TimeSpan.FromSeconds(3);
        var started = DateTimeOffset.UtcNow;
        int throttled = 0,
            ok = 0;
        async Task Caller()
        {
            while (DateTimeOffset.UtcNow - started < window)
            {
                using var response = await http.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzonesbyname");
                if (response.StatusCode == HttpStatusCode.OK)
                    Interlocked.Increment(ref ok);
                else
                {
                    var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
                    Assert.Equal("Throttling", error.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
                    Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                    Interlocked.Increment(ref throttled);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(Caller)));
        var elapsed = (DateTimeOffset.UtcNow - started).TotalSeconds;

        var accepted = sandbox.Metrics.Route53AcceptedAt(account.Id);
        Assert.Equal(ok, accepted.Count);
        Assert.True(throttled > ok, $"16 callers should meet the quota: {ok} accepted, {throttled} throttled");
        // Burst of 5, then 5 per second.
        var ceiling = 5 + 5 * elapsed;
        Assert.InRange(accepted.Count, 5 * (elapsed - 1), ceiling + 1);
        // The quota is per account: the other account is untouched.
        Assert.Empty(sandbox.Metrics.Route53AcceptedAt(sandbox.Topology.Accounts[1].Id));
    }

    [Fact]
    public async Task An_unsigned_request_is_refused_with_missing_authentication_token()
    {
        await using var sandbox = await SandboxWorlds.StartAsync(SandboxWorlds.Generated(3));
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(sandbox.AwsEndpoint, "/2013-04-01/hostedzonesbyname"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("MissingAuthenticationToken", error.Root!.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_is_refused_and_a_good_one_accepted()
    {
        await using var sandbox = await SandboxWorlds.StartAsync(SandboxWorlds.Generated(9));
        using var http = new SignedHttp(sandbox.AwsEndpoint, sandbox.Topology.Accounts[0]);
        var bad = await http.SendAsync(
            HttpMethod.Get,
            "/2013-04-01/hostedzonesbyname",
            secretOverride: "not-the-secret"
        );
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        Assert.Contains("SignatureDoesNotMatch", await bad.Content.ReadAsStringAsync());
        var good = await http.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzonesbyname?maxitems=1");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var doc = XDocument.Parse(await good.Content.ReadAsStringAsync());
        Assert.Equal("true", doc.Root!.Element(Ns + "IsTruncated")!.Value);
        Assert.NotNull(doc.Root.Element(Ns + "NextDNSName"));
    }

    [Fact]
    public async Task List_record_sets_with_a_type_but_no_name_is_invalid_input()
    {
        await using var sandbox = await SandboxWorlds.StartAsync(SandboxWorlds.Generated(3));
        var account = sandbox.Topology.Accounts[0];
        using var http = new SignedHttp(sandbox.AwsEndpoint, account);
        var response = await http.SendAsync(
            HttpMethod.Get,
            $"/2013-04-01/hostedzone/{account.HostedZones[0].Id}/rrset?type=A"
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidInput</Code>", await response.Content.ReadAsStringAsync());
    }
}
