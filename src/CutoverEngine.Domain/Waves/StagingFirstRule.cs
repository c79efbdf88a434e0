using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>
/// A production environment may be cut over only after its customer's staging environment was cut over
/// successfully; a customer without a staging environment in the inventory has nothing to prove it on, so it is
/// refused too (an override can accept that, with a reason).
/// </summary>
public static class StagingFirstRule
{
    public const string Rule = "staging-first";

    /// <param name="environments">The wave's environments.</param>
    /// <param name="inventory">The whole inventory, to find each customer's staging environments.</param>
    /// <param name="cutOverSuccessfully">Whether an environment (by id) has a successful cutover on record.</param>
    public static IReadOnlyList<PolicyViolation> Check(
        IEnumerable<CutoverEnvironment> environments,
        Inventory.Inventory inventory,
        Func<string, bool> cutOverSuccessfully
    )
    {
        var violations = new List<PolicyViolation>();
        foreach (var production in environments.Where(e => e.Tier == Tier.Production))
        {
            var staging = inventory
                .Environments.Where(e =>
                    e.Tier == Tier.Staging && string.Equals(e.Customer, production.Customer, StringComparison.Ordinal)
                )
                .ToList();
            if (staging.Count == 0)
                violations.Add(
                    new(
                        production.Id,
                        Rule,
                        $"{production.Id} (production, {production.Customer}): the customer has no staging environment in the inventory to cut over first."
                    )
                );
            else if (!staging.Any(s => cutOverSuccessfully(s.Id)))
                violations.Add(
                    new(
                        production.Id,
                        Rule,
                        $"{production.Id} (production, {production.Customer}): staging {string.Join(", ", staging.Select(s => s.Id))} not cut over successfully yet."
                    )
                );
        }
        return violations;
    }
}
