namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>The optional <c>sendingControlAuth</c> block of an environment (a sending-control agent's
/// credentials).</summary>
internal sealed partial class InventoryReader
{
    const string SendingControlAuthKey = "sendingControlAuth";
    static readonly string[] SendingControlAuthKeys = ["tokenEnv", "tokenFile", "caCertificate"];

    (bool Valid, SendingControlAuth? Auth) ReadSendingControlAuth(Field? field)
    {
        if (field is not { } f)
            return (true, null);
        var before = errors.Count;
        if (Mapping(f.Node, f.Path, "the sending-control agent's credentials") is not { } mapping)
            return (false, null);
        var fields = new MappingReader(mapping, f.Path, SendingControlAuthKeys, errors);
        var envField = fields.Optional("tokenEnv");
        var fileField = fields.Optional("tokenFile");
        var tokenEnv = Text(envField);
        var tokenFile = Text(fileField);
        var ca = Text(fields.Optional("caCertificate"));
        if ((tokenEnv is null) == (tokenFile is null))
            errors.Add(
                mapping,
                f.Path,
                "name exactly one of tokenEnv (an environment variable) or tokenFile (a file) holding the bearer token; never the token itself"
            );
        if (tokenEnv is not null && !tokenEnv.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            errors.Add(
                envField!.Value.Node,
                envField.Value.Path,
                $"'{tokenEnv}' is not an environment variable name (letters, digits, _)"
            );
        return (
            errors.Count == before,
            errors.Count == before ? new SendingControlAuth(tokenEnv, tokenFile, ca) : null
        );
    }
}
