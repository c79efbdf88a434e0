using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Server.Pages;

/// <summary>
/// The confirmation a page form needs before it acts on production: the person types the wave's (or the
/// environment's) id into the form's <see cref="FieldName"/> field, as GitHub asks for a repository's name before
/// deleting it, so a production change is never one stray click. The API has no such field: its callers are
/// scripts that name what they act on already.
/// </summary>
public static class ProductionConfirmation
{
    public const string FieldName = "confirm";

    public static bool IsRequired(IEnumerable<CutoverEnvironment> environments) =>
        environments.Any(e => e.Tier == Tier.Production);

    /// <summary>The refusal when confirmation is required and the id typed is not <paramref name="id"/>; else
    /// null.</summary>
    public static string? Refusal(bool required, string id, string? typed) =>
        required && !string.Equals(typed?.Trim(), id, StringComparison.Ordinal)
            ? $"'{id}' holds a production environment: type its id, {id}, into the confirmation field to go ahead. "
                + "Nothing was changed."
            : null;
}
