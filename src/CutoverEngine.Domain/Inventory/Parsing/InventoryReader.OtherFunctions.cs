using System.Globalization;

namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>
/// An environment's <c>otherFunctions</c>: the endpoints of the instance's other functions, probed during every
/// pause (an HTTP(S) <c>url</c> with an optional <c>expectStatus</c>, default 200, or a <c>tcp</c> host:port).
/// </summary>
internal sealed partial class InventoryReader
{
    static readonly string[] OtherFunctionKeys = ["name", "url", "expectStatus", "tcp"];

    IReadOnlyList<OtherFunction>? ReadOtherFunctions(Field field)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var functions = ReadList(field, "other function", (item, path) => ReadOtherFunction(item, path, names));
        return functions;
    }

    OtherFunction? ReadOtherFunction(SourceNode node, string path, Dictionary<string, int> names)
    {
        if (Mapping(node, path, "an other function with name and url or tcp") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, path, OtherFunctionKeys, errors);
        var nameField = fields.Required("name");
        var name = Matching(
            nameField,
            FieldFormats.EnvironmentId(),
            "is not a valid function name (expected lower-case letters, digits and hyphens, e.g. api)"
        );
        if (name is not null && !names.TryAdd(name, nameField!.Value.Node.Position.Line))
        {
            errors.Add(
                nameField!.Value.Node,
                nameField.Value.Path,
                $"function '{name}' is named twice in this environment (first on line {names[name]})"
            );
            name = null;
        }
        var urlField = fields.Optional("url");
        var tcpField = fields.Optional("tcp");
        var statusField = fields.Optional("expectStatus");
        if ((urlField is null) == (tcpField is null))
        {
            errors.Add(
                mapping,
                path,
                urlField is null
                    ? "needs either url (an HTTP(S) endpoint) or tcp (host:port)"
                    : "has both url and tcp; give one of them"
            );
            return null;
        }
        if (tcpField is { } tcp)
        {
            if (statusField is { } s)
            {
                errors.Add(s.Node, s.Path, "applies to url only; a tcp function passes when it accepts a connection");
                return null;
            }
            var endpoint = TcpEndpoint(tcp);
            return name is not null && endpoint is { } e ? new OtherFunction(name, null, 0, e.Host, e.Port) : null;
        }
        var url = ReadHttpUrl(urlField);
        var (statusValid, status) = ExpectedStatus(statusField);
        return name is not null && url is not null && statusValid
            ? new OtherFunction(name, url, status, null, 0)
            : null;
    }

    (bool Valid, int Status) ExpectedStatus(Field? field)
    {
        if (field is null)
            return (true, OtherFunction.DefaultExpectedStatus);
        if (Text(field) is not { } text)
            return (false, 0);
        if (
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            && status is >= 100 and <= 599
        )
            return (true, status);
        errors.Add(field.Value.Node, field.Value.Path, $"'{text}' is not an HTTP status (expected 100-599, e.g. 200)");
        return (false, 0);
    }

    (string Host, int Port)? TcpEndpoint(Field field)
    {
        if (Text(field) is not { } text)
            return null;
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon] : "";
        var port = 0;
        var valid =
            colon > 0
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 1 and <= 65535
            && (FieldFormats.TryIpv4(host, out _) || FieldFormats.TryDnsName(host, out host));
        if (valid)
            return (host, port);
        errors.Add(
            field.Node,
            field.Path,
            $"'{text}' is not host:port (expected a DNS name or IPv4 address and a port 1-65535, e.g. imap.example.com:993)"
        );
        return null;
    }
}
