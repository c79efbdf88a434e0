using System.Net.Http.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using CutoverEngine.Sandbox.Tests.Support;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Testing;

namespace CutoverEngine.Sandbox.Tests.SendingControl;

/// <summary>
/// The move an engine makes, done by hand through the real AWS SDK and signed Route 53 requests while mail flows:
/// the counters prove that nothing was lost or sent twice and that mail after the resume reached only the new MTA.
/// </summary>
public sealed class MailThroughAwsApisTests
{
    [Fact]
    public async Task Mail_follows_an_elastic_ip_association_and_dns_change_made_through_the_aws_apis()
    {
        var topology = TopologyGenerator.Generate(
            new TopologyGeneratorOptions
            {
                Environments = 3,
                DesignedFailures = false,
                Settings = new TopologySettings { InsyncDelaySeconds = 0.5, MessagesPerSecond = 100 },
            }
        );
        await using var sandbox = await SandboxHost.StartAsync(topology, new SandboxRunOptions { SmtpPort = 0 });
        var account = topology.Accounts[0];
        var env = sandbox.SendingControl.Environment("acme-dev");
        using var http = new HttpClient { BaseAddress = sandbox.SendingControlEndpoint };
        await Eventually.TrueAsync(
            () => env.Status().Delivered >= 20,
            TimeSpan.FromSeconds(20),
            () => $"only {env.Status().Delivered} delivered"
        );

        (
            await http.PostAsJsonAsync("environments/acme-dev/pause", new { leaseSeconds = 120, reason = "test" })
        ).EnsureSuccessStatusCode();

        var ec2 = new AmazonEC2Client(
            new BasicAWSCredentials(account.AccessKeyId, account.SecretAccessKey),
            new AmazonEC2Config
            {
                ServiceURL = sandbox.AwsEndpoint.ToString(),
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0,
            }
        );
        var eip = account.ElasticIps[0];
        var instance = account.Instances[0].InstanceId;
        await ec2.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = eip.AllocationId, InstanceId = instance }
        );

        using var route53 = new SignedHttp(sandbox.AwsEndpoint, account);
        var body = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>UPSERT</Action>
            <ResourceRecordSet><Name>mta1.dev.acme-mail.example</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>{eip.PublicIp}</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>
            </Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>
            """;
        var changed = await route53.SendAsync(
            HttpMethod.Post,
            $"/2013-04-01/hostedzone/{account.HostedZones[0].Id}/rrset/",
            body
        );
        var changeXml = await changed.Content.ReadAsStringAsync();
        Assert.True(changed.IsSuccessStatusCode, changeXml);
        var changeId = System
            .Xml.Linq.XDocument.Parse(changeXml)
            .Descendants()
            .First(e => e.Name.LocalName == "Id")
            .Value;
        await Eventually.TrueAsync(
            () =>
            {
                var r = route53.SendAsync(HttpMethod.Get, "/2013-04-01" + changeId).GetAwaiter().GetResult();
                return r.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains("<Status>INSYNC</Status>");
            },
            TimeSpan.FromSeconds(10),
            () => "change never INSYNC"
        );
        var queuedWhilePaused = env.Status().QueueDepth;
        Assert.True(queuedWhilePaused > 0);

        (await http.PostAsJsonAsync("environments/acme-dev/resume", new { })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            () => env.Status().Delivered > env.Status().Pauses[0].ProducedAtResume,
            TimeSpan.FromSeconds(20),
            () => "the queue never drained"
        );
        env.GeneratorEnabled = false;
        await Eventually.TrueAsync(
            () => env.Status().QueueDepth == 0,
            TimeSpan.FromSeconds(20),
            () => $"{env.Status().QueueDepth} still queued"
        );

        var status = env.Status();
        var pause = Assert.Single(status.Pauses);
        Assert.Equal(status.Produced, status.Delivered);
        Assert.Equal(0, sandbox.Mail.Duplicates);
        var deliveries = env.Deliveries();
        Assert.All(
            deliveries.Where(d => d.DeliveredAt < pause.ResumedAt),
            d => Assert.Equal("dc-acme-dev-mta1", d.HostId)
        );
        // The pause waits for the one message in flight; nothing else is handed over until the resume.
        Assert.True(deliveries.Count(d => d.DeliveredAt > pause.PausedAt && d.DeliveredAt < pause.ResumedAt) <= 1);
        var after = deliveries.Where(d => d.DeliveredAt >= pause.ResumedAt).ToList();
        Assert.True(after.Count >= queuedWhilePaused);
        Assert.All(after, d => Assert.Equal(("aws-acme-dev-mta1", eip.PublicIp), (d.HostId, d.Address)));
    }
}
