namespace CutoverEngine.Domain.Inventory;

/// <summary>How critical an environment is; decides notice periods and wave order. Wire names: development, staging,
/// production.</summary>
public enum Tier
{
    Development,
    Staging,
    Production,
}
