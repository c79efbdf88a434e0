namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// The product offering an environment runs on. Wire names: v7-hosted, v7-hybrid, managed-services, v8.
/// v7 on-premise environments are out of scope (the customer runs the MTAs) and are rejected by the loader.
/// </summary>
public enum Offering
{
    V7Hosted,
    V7Hybrid,
    ManagedServices,
    V8,
}
