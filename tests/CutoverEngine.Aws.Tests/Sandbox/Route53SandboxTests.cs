using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Sandbox;

/// <summary>The Route 53 gateway against the sandbox's Route 53 (SigV4-verified, quotas, INSYNC delay).</summary>
public sealed class Route53SandboxTests
{
    private static string Mta1 => $"mta1.{SandboxWorlds.ZoneName}";

    [Fact]
    public async Task Signed_requests_are_accepted()
    {
        await using var run = await SandboxRun.StartAsync();

        var sets = await run.Rig.Route53.ListRecordSetsAsync(run.Account, SandboxWorlds.ZoneId);

        Assert.Contains(
            sets,
            s => s.IsSameSetAs(ResourceRecordSet.A(Mta1, 60)) && s.Values.SequenceEqual(["127.10.0.11"])
        );
        Assert.Equal(0, run.Sandbox("route53", c => c.Refused));
    }

    [Fact]
    public async Task Wrong_secret_is_refused_as_signature_mismatch_and_not_retried()
    {
        await using var run = await SandboxRun.StartAsync();
        var accounts = SandboxWorlds.AccountOptions(run.Topology);
        accounts[0].SecretAccessKey = "not-the-secret";
        using var rig = new AwsRig(
            new SocketsHttpHandler(),
            run.Host.AwsEndpoint,
            accounts: accounts,
            realQuotas: true
        );

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            rig.Route53.ListRecordSetsAsync(run.Account, SandboxWorlds.ZoneId)
        );

        Assert.Equal("SignatureDoesNotMatch", ex.ErrorCode);
        Assert.Equal(403, ex.HttpStatus);
        Assert.NotNull(ex.RequestId);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task Change_goes_insync_and_is_visible()
    {
        await using var run = await SandboxRun.StartAsync();
        var route53 = run.Rig.Route53;
        var batch = new ChangeBatch(
            [RecordSetChange.Upsert(ResourceRecordSet.A(Mta1, 60, "127.20.0.11"))],
            "cut over mta1"
        );

        var change = await route53.SubmitChangeBatchAsync(run.Account, SandboxWorlds.ZoneId, batch);
        Assert.Equal(ChangeStatus.Pending, change.Status);
        Assert.NotNull(change.Id);
        Assert.NotNull(change.RequestId);

        var insync = await route53.InSyncAsync(run.Account, change, TimeSpan.FromSeconds(10));
        Assert.Equal(ChangeStatus.InSync, insync.Status);
        Assert.Equal(change.Id, insync.Id);

        var live = await route53.FindRecordSetAsync(run.Account, SandboxWorlds.ZoneId, Mta1, "A");
        Assert.Equal(["127.20.0.11"], live!.Values);
    }

    [Fact]
    public async Task Invalid_change_batch_from_route53_is_not_retried()
    {
        await using var run = await SandboxRun.StartAsync();
        // CREATE of a set that exists with other values: Route 53 refuses the whole batch.
        var batch = new ChangeBatch([RecordSetChange.Create(ResourceRecordSet.A(Mta1, 60, "127.99.0.1"))]);

        var ex = await Assert.ThrowsAsync<Route53InvalidChangeBatchException>(() =>
            run.Rig.Route53.SubmitChangeBatchAsync(run.Account, SandboxWorlds.ZoneId, batch)
        );

        Assert.NotEmpty(ex.Messages);
        Assert.NotNull(ex.RequestId);
        Assert.Equal(1, ex.Attempts);
        Assert.Single(run.Rig.AttemptsOf("ChangeResourceRecordSets"));
    }

    [Fact]
    public async Task Missing_zone_is_not_retried()
    {
        await using var run = await SandboxRun.StartAsync();

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            run.Rig.Route53.ListRecordSetsAsync(run.Account, "ZNOSUCHZONE")
        );

        Assert.Equal("NoSuchHostedZone", ex.ErrorCode);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task Change_to_a_zone_still_processing_is_retried_until_accepted()
    {
        await using var run = await SandboxRun.StartAsync(
            SandboxWorlds.Topology(insyncDelaySeconds: 1.5),
            configure: o =>
            {
                o.Resilience.Retry.MaxRetryAttempts = 10;
                o.Resilience.Retry.BaseDelay = TimeSpan.FromMilliseconds(100);
                o.Resilience.Retry.MaxDelay = TimeSpan.FromSeconds(1);
            }
        );
        var route53 = run.Rig.Route53;

        await route53.SubmitChangeBatchAsync(
            run.Account,
            SandboxWorlds.ZoneId,
            new ChangeBatch([RecordSetChange.Upsert(ResourceRecordSet.A(Mta1, 60, "127.20.0.11"))])
        );
        var second = await route53.SubmitChangeBatchAsync(
            run.Account,
            SandboxWorlds.ZoneId,
            new ChangeBatch([
                RecordSetChange.Upsert(ResourceRecordSet.A($"mta2.{SandboxWorlds.ZoneName}", 60, "127.20.0.12")),
            ])
        );

        Assert.NotNull(second.Id);
        var attempts = run.Rig.AttemptsOf("ChangeResourceRecordSets");
        Assert.Contains(
            attempts,
            a => a.ErrorCode == "PriorRequestNotComplete" && a.Outcome == AwsAttemptOutcome.Retrying
        );
        Assert.Equal(2, attempts.Count(a => a.Outcome == AwsAttemptOutcome.Succeeded));
    }

    [Fact]
    public async Task Lists_every_page_of_a_large_zone()
    {
        var topology = SandboxWorlds.Topology();
        topology
            .Accounts[0]
            .HostedZones[0]
            .Records.AddRange(
                Enumerable
                    .Range(0, 650)
                    .Select(i => new CutoverEngine.Sandbox.Topology.TopologyRecord
                    {
                        Name = $"h{i:D3}.{SandboxWorlds.ZoneName}",
                        Type = "A",
                        Ttl = 60,
                        Values = [$"127.40.{i / 250}.{i % 250}"],
                    })
            );
        await using var run = await SandboxRun.StartAsync(topology);

        var sets = await run.Rig.Route53.ListRecordSetsAsync(run.Account, SandboxWorlds.ZoneId);

        Assert.Equal(650, sets.Count(s => s.Name.StartsWith('h')));
        Assert.True(run.Rig.AttemptsOf("ListResourceRecordSets").Count >= 3, "expected several pages");
    }
}
