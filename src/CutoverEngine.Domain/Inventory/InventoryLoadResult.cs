using System.Diagnostics.CodeAnalysis;

namespace CutoverEngine.Domain.Inventory;

/// <summary>The outcome of loading an inventory: either an inventory and no errors, or no inventory and every error
/// found.</summary>
public sealed class InventoryLoadResult
{
    internal InventoryLoadResult(Inventory? inventory, IReadOnlyList<InventoryError> errors)
    {
        if (inventory is not null && errors.Count > 0)
            throw new ArgumentException("An inventory with errors must not be handed out.", nameof(inventory));
        Inventory = inventory;
        Errors = errors;
    }

    /// <summary>The inventory, or null when there is any error: nothing ever runs on an invalid inventory.</summary>
    public Inventory? Inventory { get; }

    /// <summary>Every error found, ordered by position in the file.</summary>
    public IReadOnlyList<InventoryError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Inventory))]
    public bool IsValid => Inventory is not null;
}
