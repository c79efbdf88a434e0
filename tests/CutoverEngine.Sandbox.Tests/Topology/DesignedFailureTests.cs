using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Tests.Topology;

/// <summary>The topology field <c>designedFailure</c>: what the generator marks, and what the loader refuses.</summary>
public sealed class DesignedFailureTests
{
    static SandboxTopology Generate(bool designedFailures) =>
        TopologyGenerator.Generate(
            new TopologyGeneratorOptions { Environments = 15, DesignedFailures = designedFailures }
        );

    static SandboxTopology ParseWritten(SandboxTopology t) =>
        TopologyLoader.Parse(TopologyLoader.Serialize(t), "t.yaml");

    [Fact]
    public void The_generator_marks_the_environments_it_builds_to_fail_and_only_those()
    {
        var t = Generate(designedFailures: true);

        var marked = t
            .Environments.Select((e, i) => (e, i))
            .Where(x => x.e.DesignedFailure is not null)
            .ToDictionary(x => x.i, x => x.e.DesignedFailure);
        Assert.Equal(
            new Dictionary<int, string?>
            {
                [TopologyGenerator.MisconfiguredEnvironmentIndex] = DesignedFailure.WrongGreeting,
                [TopologyGenerator.HighTtlEnvironmentIndex] = DesignedFailure.HighTtl,
                [TopologyGenerator.FunctionFailsWhilePausedEnvironmentIndex] = DesignedFailure.OtherFunctionAffected,
                [TopologyGenerator.BlocklistedEnvironmentIndex] = DesignedFailure.BlocklistedTarget,
                [TopologyGenerator.UnpreparedSpfEnvironmentIndex] = DesignedFailure.UnpreparedSpf,
            },
            marked
        );
        Assert.All(Generate(designedFailures: false).Environments, e => Assert.Null(e.DesignedFailure));
    }

    [Fact]
    public void Only_the_unprepared_environment_starts_with_spf_listing_just_its_data_centre_range()
    {
        var t = Generate(designedFailures: true);
        var unprepared = t.Environments[TopologyGenerator.UnpreparedSpfEnvironmentIndex];
        var spf = t
            .Accounts.SelectMany(a => a.HostedZones)
            .SelectMany(z => z.Records)
            .Single(r => r.Type == "TXT" && r.Name == unprepared.SendingDomain);

        Assert.Equal(["\"v=spf1 ip4:127.10.8.0/24 -all\""], spf.Values);
        var prepared = t.Environments[TopologyGenerator.UnpreparedSpfEnvironmentIndex - 1];
        Assert.Contains(
            "ip4:127.20.7.0/24",
            t
                .Accounts.SelectMany(a => a.HostedZones)
                .SelectMany(z => z.Records)
                .Single(r => r.Type == "TXT" && r.Name == prepared.SendingDomain)
                .Values[0]
        );
    }

    [Fact]
    public void The_field_survives_writing_and_reading_the_topology()
    {
        var written = TopologyLoader.Serialize(Generate(designedFailures: true));

        var read = TopologyLoader.Parse(written, "t.yaml");

        Assert.Equal(
            Generate(designedFailures: true).Environments.Select(e => e.DesignedFailure),
            read.Environments.Select(e => e.DesignedFailure)
        );
    }

    [Fact]
    public void An_unknown_designed_failure_is_refused_naming_the_field_and_the_known_ones()
    {
        var t = Generate(designedFailures: false);
        t.Environments[2].DesignedFailure = "slow-dns";

        var e = Assert.Throws<SandboxTopologyException>(() => ParseWritten(t));

        var known = string.Join(", ", DesignedFailure.All);
        Assert.Contains($"environments[2].designedFailure: 'slow-dns' is not one of {known}", e.Message);
    }

    [Fact]
    public void A_wrong_greeting_environment_whose_new_mtas_greet_correctly_is_refused()
    {
        // Without designed failures every new MTA greets with its host name, so the field would promise a rollback
        // the world cannot produce.
        var t = Generate(designedFailures: false);
        t.Environments[1].DesignedFailure = DesignedFailure.WrongGreeting;

        var e = Assert.Throws<SandboxTopologyException>(() => ParseWritten(t));

        Assert.Contains(
            $"environments[1].designedFailure: wrong-greeting, "
                + $"but every new MTA of '{t.Environments[1].Id}' greets with its host name",
            e.Message
        );
    }

    [Fact]
    public void An_other_function_affected_environment_without_a_failing_function_is_refused()
    {
        var t = Generate(designedFailures: false);
        t.Environments[4].DesignedFailure = DesignedFailure.OtherFunctionAffected;

        var e = Assert.Throws<SandboxTopologyException>(() => ParseWritten(t));

        Assert.Contains(
            $"environments[4].designedFailure: other-function-affected, "
                + $"but no other function of '{t.Environments[4].Id}' fails while paused",
            e.Message
        );
    }

    [Fact]
    public void Only_the_designed_failing_api_fails_while_paused_and_every_environment_has_an_api()
    {
        var t = Generate(designedFailures: true);

        Assert.All(t.Environments, e => Assert.Equal(["api"], e.OtherFunctions.Select(f => f.Name)));
        Assert.Equal(
            [t.Environments[TopologyGenerator.FunctionFailsWhilePausedEnvironmentIndex].Id],
            t.Environments.Where(e => e.OtherFunctions.Any(f => f.FailsWhilePaused)).Select(e => e.Id)
        );
    }

    [Fact]
    public void Only_a_wrong_greeting_is_expected_to_roll_back()
    {
        Assert.True(DesignedFailure.RollsBack(DesignedFailure.WrongGreeting));
        Assert.False(DesignedFailure.RollsBack(DesignedFailure.HighTtl));
        Assert.False(DesignedFailure.RollsBack(DesignedFailure.OtherFunctionAffected));
        Assert.False(DesignedFailure.RollsBack(DesignedFailure.UnpreparedSpf)); // the demo prepares first
        Assert.False(DesignedFailure.RollsBack(null));
    }
}
