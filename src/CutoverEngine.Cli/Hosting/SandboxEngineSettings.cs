using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CutoverEngine.Sandbox;

namespace CutoverEngine.Cli.Hosting;

/// <summary>
/// The engine settings that point at a running sandbox: its AWS endpoint, each account's keys, its DNS for
/// verification and its SMTP port. `cutover demo` lays them over the configuration in-process; `cutover sandbox`
/// writes them to a file (with API keys for `serve`) that `plan`, `run` and `serve` take with --config. One home,
/// so the file and the demo cannot disagree.
/// </summary>
public static class SandboxEngineSettings
{
    public const string OperatorKeyName = "sandbox-operator";
    public const string AuditorKeyName = "sandbox-auditor";

    /// <summary>The settings as configuration keys (Section:Key, list items by index).</summary>
    public static Dictionary<string, string?> For(SandboxHost sandbox)
    {
        var s = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = sandbox.AwsEndpoint.ToString().TrimEnd('/'),
            ["Sending:Verification:AuthoritativeServerOverride"] = sandbox.DnsEndpoint.ToString(),
            ["Sending:Verification:SmtpPort"] = sandbox.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Waves:Finalise:RouteLookingGlass"] = sandbox.RouteLookingGlassEndpoint.ToString(),
            // The sandbox's production environments are stand-ins that one person drives alone: a demo or a
            // walkthrough has nobody to give the two approvals a real production wave needs (Waves:Approval).
            ["Waves:Approval:Production"] = "0",
        };
        for (int i = 0; i < sandbox.Topology.Accounts.Count; i++)
        {
            var a = sandbox.Topology.Accounts[i];
            s[$"Aws:Accounts:{i}:Id"] = a.Id;
            s[$"Aws:Accounts:{i}:Region"] = a.Region;
            s[$"Aws:Accounts:{i}:AccessKeyId"] = a.AccessKeyId;
            s[$"Aws:Accounts:{i}:SecretAccessKey"] = a.SecretAccessKey;
        }
        return s;
    }

    /// <summary>An operator and an auditor key for `serve` (Serve:ApiKeys), fresh for each sandbox run.</summary>
    public static (string Operator, string Auditor) NewApiKeys() =>
        (
            RandomNumberGenerator.GetHexString(32, lowercase: true),
            RandomNumberGenerator.GetHexString(32, lowercase: true)
        );

    /// <summary>Adds the API keys as Serve:ApiKeys.</summary>
    public static Dictionary<string, string?> WithApiKeys(
        Dictionary<string, string?> settings,
        (string Operator, string Auditor) keys
    )
    {
        settings["Serve:ApiKeys:0:Name"] = OperatorKeyName;
        settings["Serve:ApiKeys:0:Key"] = keys.Operator;
        settings["Serve:ApiKeys:0:Role"] = "operator";
        settings["Serve:ApiKeys:1:Name"] = AuditorKeyName;
        settings["Serve:ApiKeys:1:Key"] = keys.Auditor;
        settings["Serve:ApiKeys:1:Role"] = "auditor";
        return settings;
    }

    /// <summary>Configuration keys as the nested JSON a settings file holds: numeric segments become arrays, and
    /// the numbers the options bind as numbers stay numbers.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, string?> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var parts = key.Split(':');
            JsonNode node = root;
            for (var i = 0; i < parts.Length; i++)
            {
                var last = i == parts.Length - 1;
                var nextIsIndex = !last && int.TryParse(parts[i + 1], CultureInfo.InvariantCulture, out _);
                JsonNode? child =
                    last ? Leaf(value)
                    : nextIsIndex ? new JsonArray()
                    : new JsonObject();
                if (node is JsonArray array)
                {
                    var index = int.Parse(parts[i], CultureInfo.InvariantCulture);
                    while (array.Count <= index)
                        array.Add(
                            last ? null
                            : nextIsIndex ? new JsonArray()
                            : new JsonObject()
                        );
                    if (last)
                        array[index] = child;
                    node = array[index]!;
                }
                else
                {
                    var obj = (JsonObject)node;
                    if (last)
                        obj[parts[i]] = child;
                    else if (obj[parts[i]] is null)
                        obj[parts[i]] = child;
                    node = obj[parts[i]]!;
                }
            }
        }
        return root;
    }

    static JsonNode? Leaf(string? value) =>
        value is not null
        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n.ToString(CultureInfo.InvariantCulture) == value
            ? JsonValue.Create(n)
            : JsonValue.Create(value);
}
