namespace CutoverEngine.Domain.Inventory;

/// <summary>Someone at the customer who receives the notices of an environment's cutover.</summary>
/// <param name="Address">The mail address, local@domain (domain lower case).</param>
/// <param name="DisplayName">The name shown with the address, any Unicode text; null for none.</param>
public sealed record NoticeContact(string Address, string? DisplayName)
{
    /// <summary>"Name &lt;address&gt;", or the bare address: for people (files), not for the SMTP envelope.</summary>
    public override string ToString() => DisplayName is null ? Address : $"{DisplayName} <{Address}>";
}
