using System.Xml.Linq;
using CutoverEngine.Sandbox.Edge;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// Builds EC2 Query responses: root <c>{Operation}Response</c> in the 2016-11-15 namespace, <c>requestId</c> first,
/// then the output members under their model locationNames (lower camel; lists as <c>xxxSet</c> &gt; <c>item</c>).
/// Null members are left out, as AWS leaves out members it has no value for.
/// </summary>
public static class Ec2Xml
{
    public static XNamespace Ns => AwsErrors.Ec2Ns;

    public static XElement Response(string operation, string requestId, IEnumerable<XElement?> members) =>
        new(Ns + (operation + "Response"), new XElement(Ns + "requestId", requestId), members.OfType<XElement>());

    public static XElement? Leaf(string name, string? value) => value is null ? null : new XElement(Ns + name, value);

    public static XElement Leaf(string name, bool value) => new(Ns + name, value ? "true" : "false");

    public static XElement Struct(string name, params XElement?[] members) =>
        new(Ns + name, members.OfType<XElement>());

    public static XElement Set(string name, IEnumerable<XElement> items) => new(Ns + name, items);

    public static XElement Item(params XElement?[] members) => new(Ns + "item", members.OfType<XElement>());
}
