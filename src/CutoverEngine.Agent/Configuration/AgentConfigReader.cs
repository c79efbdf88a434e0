using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CutoverEngine.Agent.Configuration;

/// <summary>
/// Reads the agent's YAML configuration. Every problem is collected (not only the first) as
/// "FILE:LINE: KEY: what is wrong", and nothing starts unless there are none.
/// </summary>
public sealed class AgentConfigReader
{
    static readonly string[] RootKeys =
    [
        "listen",
        "stateDirectory",
        "logFile",
        "lease",
        "maxBodyBytes",
        "expiryRetrySeconds",
        "tokens",
        "environments",
    ];
    static readonly string[] ListenKeys = ["url", "certificate", "key"];
    static readonly string[] LeaseKeys = ["minSeconds", "maxSeconds"];
    static readonly string[] TokenKeys = ["name", "sha256", "environments"];
    static readonly string[] Drivers = ["postfix", "kumomta", "powermta", "commands"];

    readonly string _path;
    readonly List<string> _problems = [];

    AgentConfigReader(string path) => _path = path;

    /// <summary>Reads and checks the file; throws <see cref="AgentConfigException"/> listing every problem.</summary>
    public static AgentConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigException([$"{path}: cannot read the file: {e.Message}"]);
        }
        return Parse(text, path);
    }

    public static AgentConfig Parse(string text, string path)
    {
        var reader = new AgentConfigReader(path);
        var config = reader.Read(text);
        if (reader._problems.Count > 0 || config is null)
            throw new AgentConfigException(reader._problems);
        return config;
    }

    AgentConfig? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            _problems.Add($"{_path}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) on some unterminated flow collections.
            _problems.Add($"{_path}: not valid YAML (an unclosed [ or {{?): {e.Message}");
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _problems.Add(
                $"{_path}:1: the configuration must be a mapping with listen, stateDirectory, tokens, environments"
            );
            return null;
        }
        var fields = Fields(root, "", RootKeys);
        var listen = ReadListen(Required(fields, root, "", "listen"));
        var stateDirectory = RequiredText(fields, root, "", "stateDirectory");
        var logFile = OptionalText(fields, "logFile");
        var (minLease, maxLease) = ReadLease(fields.GetValueOrDefault("lease"));
        var maxBody = fields.TryGetValue("maxBodyBytes", out var mb) ? Number(mb, "maxBodyBytes", 256, 1 << 20) : 4096;
        var retry = fields.TryGetValue("expiryRetrySeconds", out var er)
            ? Number(er, "expiryRetrySeconds", 1, 3600)
            : 5;
        var environments = ReadEnvironments(Required(fields, root, "", "environments"));
        var tokens = ReadTokens(Required(fields, root, "", "tokens"), environments);
        if (listen is null || stateDirectory is null || environments is null || tokens is null)
            return null;
        return new AgentConfig
        {
            Path = _path,
            Listen = listen,
            StateDirectory = stateDirectory,
            LogFile = logFile,
            MinLease = TimeSpan.FromSeconds(minLease),
            MaxLease = TimeSpan.FromSeconds(maxLease),
            MaxBodyBytes = (long)maxBody,
            ExpiryRetry = TimeSpan.FromSeconds(retry),
            Tokens = tokens,
            Environments = environments,
        };
    }

    ListenConfig? ReadListen(YamlNode? node)
    {
        if (node is null)
            return null;
        if (node is not YamlMappingNode map)
            return Fail<ListenConfig>(node, "listen", "must be a mapping with url (and certificate, key for https)");
        var f = Fields(map, "listen.", ListenKeys);
        var urlText = RequiredText(f, map, "listen.", "url");
        var cert = OptionalText(f, "certificate");
        var key = OptionalText(f, "key");
        if (urlText is null)
            return null;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return Fail<ListenConfig>(f["url"], "listen.url", $"'{urlText}' is not an http:// or https:// URL");
        if (url.Host != "localhost" && !IPAddress.TryParse(url.Host.Trim('[', ']'), out _))
            return Fail<ListenConfig>(
                f["url"],
                "listen.url",
                $"'{url.Host}' is not an IP address to bind (e.g. 0.0.0.0, 10.0.0.5, 127.0.0.1)"
            );
        if (url.Scheme == "http" && !IsLoopback(url.Host))
            return Fail<ListenConfig>(
                f["url"],
                "listen.url",
                $"plain http is allowed only on a loopback address, not '{url.Host}'; use https with a certificate"
            );
        if (url.Scheme == "https" && (cert is null || key is null))
            return Fail<ListenConfig>(map, "listen", "https needs certificate and key (PEM files)");
        return new ListenConfig(url, cert, key);
    }

    static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    (double Min, double Max) ReadLease(YamlNode? node)
    {
        if (node is null)
            return (30, 7200);
        if (node is not YamlMappingNode map)
        {
            Problem(node, "lease", "must be a mapping with minSeconds and maxSeconds");
            return (30, 7200);
        }
        var f = Fields(map, "lease.", LeaseKeys);
        var min = f.TryGetValue("minSeconds", out var a) ? Number(a, "lease.minSeconds", 1, 86400) : 30;
        var max = f.TryGetValue("maxSeconds", out var b) ? Number(b, "lease.maxSeconds", 1, 86400) : 7200;
        if (min > max)
            Problem(map, "lease", $"minSeconds {min} is above maxSeconds {max}");
        return (min, max);
    }

    IReadOnlyList<TokenConfig>? ReadTokens(YamlNode? node, IReadOnlyDictionary<string, EnvironmentConfig>? environments)
    {
        if (node is null)
            return null;
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
            return Fail<IReadOnlyList<TokenConfig>>(
                node,
                "tokens",
                "must be a non-empty list of {name, sha256, environments}"
            );
        var tokens = new List<TokenConfig>();
        var ok = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var at = $"tokens[{i}]";
            if (list.Children[i] is not YamlMappingNode map)
            {
                Problem(list.Children[i], at, "must be a mapping with name, sha256, environments");
                ok = false;
                continue;
            }
            var f = Fields(map, at + ".", TokenKeys);
            var name = RequiredText(f, map, at + ".", "name");
            var hashText = RequiredText(f, map, at + ".", "sha256");
            byte[]? hash = null;
            if (hashText is not null)
            {
                try
                {
                    hash = Convert.FromHexString(hashText);
                }
                catch (FormatException) { }
                if (hash is not { Length: 32 })
                {
                    Problem(
                        f["sha256"],
                        at + ".sha256",
                        "must be 64 hex digits (the SHA-256 of the token; never the token itself)"
                    );
                    hash = null;
                }
            }
            var envs = StringList(Required(f, map, at + ".", "environments"), at + ".environments");
            if (envs is not null && environments is not null)
                foreach (var e in envs.Where(e => e != "*" && !environments.ContainsKey(e)))
                    Problem(f["environments"], at + ".environments", $"names '{e}', which is not under environments");
            if (name is null || hash is null || envs is null)
                ok = false;
            else
                tokens.Add(new TokenConfig(name, hash, envs));
        }
        return ok ? tokens : null;
    }

    IReadOnlyDictionary<string, EnvironmentConfig>? ReadEnvironments(YamlNode? node)
    {
        if (node is null)
            return null;
        if (node is not YamlMappingNode map || map.Children.Count == 0)
            return Fail<IReadOnlyDictionary<string, EnvironmentConfig>>(
                node,
                "environments",
                "must be a mapping of environment id to {driver, <driver>: settings}"
            );
        var result = new Dictionary<string, EnvironmentConfig>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, value) in map.Children)
        {
            var id = ((YamlScalarNode)keyNode).Value ?? "";
            var at = $"environments.{id}";
            var env = ReadEnvironment(id, value, at);
            if (env is null)
                ok = false;
            else
                result[id] = env;
        }
        return ok ? result : null;
    }

    EnvironmentConfig? ReadEnvironment(string id, YamlNode node, string at)
    {
        if (node is not YamlMappingNode map)
            return Fail<EnvironmentConfig>(node, at, "must be a mapping with driver");
        var f = Fields(map, at + ".", ["driver", .. Drivers]);
        var driver = RequiredText(f, map, at + ".", "driver");
        if (driver is null)
            return null;
        if (!Drivers.Contains(driver))
            return Fail<EnvironmentConfig>(
                f["driver"],
                at + ".driver",
                $"'{driver}' is not one of {string.Join(", ", Drivers)}"
            );
        foreach (var other in Drivers.Where(d => d != driver && f.ContainsKey(d)))
            Problem(f[other], at + "." + other, $"settings for driver {other}, but driver is {driver}");
        var block = f.GetValueOrDefault(driver);
        if (block is not null and not YamlMappingNode)
            return Fail<EnvironmentConfig>(block, at + "." + driver, "must be a mapping");
        var settingsMap = block as YamlMappingNode ?? new YamlMappingNode();
        var p = at + "." + driver + ".";
        DriverSettings? settings = driver switch
        {
            "postfix" => ReadPostfix(settingsMap, p),
            "kumomta" => ReadKumo(settingsMap, p),
            "powermta" => ReadPowerMta(settingsMap, p),
            _ => ReadCommands(block, map, settingsMap, p, at),
        };
        return settings is null ? null : new EnvironmentConfig(id, driver, settings);
    }

    PostfixSettings ReadPostfix(YamlMappingNode map, string p)
    {
        var f = Fields(map, p, ["configDirectory", "transports", "commandDirectory", "timeoutSeconds"]);
        var s = new PostfixSettings { Timeout = Timeout(f, p) };
        if (OptionalText(f, "configDirectory") is { } dir)
            s = s with { ConfigDirectory = dir };
        if (OptionalText(f, "commandDirectory") is { } cmd)
            s = s with { CommandDirectory = cmd };
        if (f.TryGetValue("transports", out var t) && StringList(t, p + "transports") is { Count: > 0 } list)
        {
            foreach (var bad in list.Where(x => !x.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                Problem(t, p + "transports", $"'{bad}' is not a transport name (letters, digits, - _ .)");
            s = s with { Transports = list };
        }
        return s;
    }

    KumoMtaSettings ReadKumo(YamlMappingNode map, string p)
    {
        var f = Fields(map, p, ["url", "domain", "campaign", "tenant", "timeoutSeconds"]);
        var s = new KumoMtaSettings
        {
            Timeout = Timeout(f, p),
            Domain = OptionalText(f, "domain"),
            Campaign = OptionalText(f, "campaign"),
            Tenant = OptionalText(f, "tenant"),
        };
        if (OptionalText(f, "url") is { } u)
        {
            if (Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                s = s with { Url = url };
            else
                Problem(f["url"], p + "url", $"'{u}' is not an http(s) URL");
        }
        return s;
    }

    PowerMtaSettings ReadPowerMta(YamlMappingNode map, string p)
    {
        var f = Fields(map, p, ["command", "queue", "timeoutSeconds"]);
        var s = new PowerMtaSettings { Timeout = Timeout(f, p) };
        if (OptionalText(f, "command") is { } c)
            s = s with { Command = c };
        if (OptionalText(f, "queue") is { } q)
            s = s with { Queue = q };
        return s;
    }

    CommandsSettings? ReadCommands(YamlNode? block, YamlNode parent, YamlMappingNode map, string p, string at)
    {
        if (block is null)
            return Fail<CommandsSettings>(
                parent,
                at,
                "driver commands needs a commands block with pause, resume, status"
            );
        var f = Fields(map, p, ["pause", "resume", "status", "timeoutSeconds"]);
        var pause = CommandLine(Required(f, map, p, "pause"), p + "pause");
        var resume = CommandLine(Required(f, map, p, "resume"), p + "resume");
        var status = CommandLine(Required(f, map, p, "status"), p + "status");
        if (pause is null || resume is null || status is null)
            return null;
        return new CommandsSettings(pause, resume, status) { Timeout = Timeout(f, p) };
    }

    IReadOnlyList<string>? CommandLine(YamlNode? node, string key)
    {
        if (node is null)
            return null;
        if (node is not YamlSequenceNode)
            return Fail<IReadOnlyList<string>>(
                node,
                key,
                "must be a list of arguments, program first (no shell string)"
            );
        var list = StringList(node, key);
        if (list is { Count: 0 })
            return Fail<IReadOnlyList<string>>(node, key, "must name at least the program");
        return list;
    }

    TimeSpan Timeout(Dictionary<string, YamlNode> f, string p) =>
        TimeSpan.FromSeconds(
            f.TryGetValue("timeoutSeconds", out var t) ? Number(t, p + "timeoutSeconds", 1, 3600) : 30
        );

    // ---- small helpers: each names file, line and key ----

    Dictionary<string, YamlNode> Fields(YamlMappingNode map, string prefix, string[] allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(key, StringComparer.Ordinal))
                Problem(k, prefix + key, $"unknown key; expected one of {string.Join(", ", allowed)}");
            else if (!result.TryAdd(key, v))
                Problem(k, prefix + key, "appears twice");
        }
        return result;
    }

    YamlNode? Required(Dictionary<string, YamlNode> f, YamlNode parent, string prefix, string key)
    {
        if (f.TryGetValue(key, out var v))
            return v;
        Problem(parent, prefix + key, "is required");
        return null;
    }

    string? RequiredText(Dictionary<string, YamlNode> f, YamlNode parent, string prefix, string key) =>
        Required(f, parent, prefix, key) is { } n ? Scalar(n, prefix + key) : null;

    string? OptionalText(Dictionary<string, YamlNode> f, string key) =>
        f.TryGetValue(key, out var n) ? Scalar(n, key) : null;

    string? Scalar(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } v })
            return v;
        return Fail<string>(node, key, "must be a non-empty text");
    }

    double Number(YamlNode node, string key, double min, double max)
    {
        if (
            node is YamlScalarNode { Value: { } v }
            && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d >= min
            && d <= max
        )
            return d;
        Problem(node, key, $"must be a number from {min} to {max}");
        return min;
    }

    IReadOnlyList<string>? StringList(YamlNode? node, string key)
    {
        if (node is null)
            return null;
        if (node is not YamlSequenceNode seq)
            return Fail<IReadOnlyList<string>>(node, key, "must be a list");
        var list = new List<string>();
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } v })
                list.Add(v);
            else
                return Fail<IReadOnlyList<string>>(item, key, "every item must be a non-empty text");
        }
        return list;
    }

    T? Fail<T>(YamlNode? node, string key, string message)
        where T : class
    {
        Problem(node, key, message);
        return null;
    }

    void Problem(YamlNode? node, string key, string message) =>
        _problems.Add($"{_path}:{(node is null ? 1 : node.Start.Line)}: {key}: {message}");
}
