using Xunit.Abstractions;

namespace CutoverEngine.Sending.Tests.Verification;

/// <summary>
/// Our check_host() held against Debian's python3-spf on the same policies served by the sandbox DNS: both
/// must give the result RFC 7208 gives, except where a case states how and why pyspf is known to differ.
/// </summary>
public sealed class SpfOracleTests(SpfOracleFixture oracle, ITestOutputHelper output) : IClassFixture<SpfOracleFixture>
{
    public static TheoryData<string> CaseIds => [.. SpfOraclePolicies.Cases.Select(c => c.Id)];

    [Fact]
    public void At_least_thirty_policies_are_asked_and_only_one_known_difference_is_excused()
    {
        Assert.True(SpfOraclePolicies.Cases.Length >= 30, $"{SpfOraclePolicies.Cases.Length} cases");
        Assert.Single(SpfOraclePolicies.Cases, c => c.PyspfDiffers is not null);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Our_evaluator_and_pyspf_give_the_rfc_result(string id)
    {
        var c = SpfOraclePolicies.Cases.Single(x => x.Id == id);
        var ours = oracle.Ours[id];
        var (theirs, why) = oracle.Pyspf[id];
        output.WriteLine($"ours:  {ours.Name}, {ours.Lookups} lookups: {ours.Explanation}");
        output.WriteLine($"pyspf: {theirs}: {why}");
        var pyspfShouldGive = c.PyspfDiffers?.Gives ?? c.Expected;
        Assert.True(
            ours.Result == c.Expected
                && string.Equals(theirs, pyspfShouldGive.ToString(), StringComparison.OrdinalIgnoreCase),
            $"{id} ({c.Domain}, {c.Address}): RFC {c.Expected}, ours {ours.Name} ({ours.Explanation}), "
                + $"pyspf {theirs} ({why}){(c.PyspfDiffers is { } d ? $"; pyspf is known to differ: {d.Why}" : "")}"
        );
    }
}
