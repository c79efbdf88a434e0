using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CutoverEngine.Engine.Definitions;

/// <summary>
/// Reads workflows/*.json (format: workflows/README.md). JSON with // comments and trailing commas allowed.
/// Every problem is reported with file, line, column and JSON path; one bad file fails start-up.
/// </summary>
public static partial class DefinitionLoader
{
    public const string DefaultDirectory = "workflows";

    static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
    static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    static readonly HashSet<string> TopFields =
    [
        "id",
        "version",
        "description",
        "windowBudgetMinutes",
        "pauseLeaseMinutes",
        "leaseRenewalFraction",
        "steps",
        "rollback",
    ];
    static readonly HashSet<string> StepFields =
    [
        "name",
        "kind",
        "timeoutSeconds",
        "attempts",
        "pollSeconds",
        "checks",
    ];

    /// <summary>The workflows directory: ./workflows, else the first one found upwards from the current directory, then
    /// from the program's.</summary>
    public static string FindWorkflowsDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultDirectory);
                if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any())
                    return candidate;
            }
        throw new DefinitionException([
            $"no '{DefaultDirectory}' directory with definitions found from {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; set Engine:WorkflowsDirectory",
        ]);
    }

    /// <param name="kinds">The step kinds definitions may name; default the engine's own.</param>
    public static DefinitionCatalog LoadDirectory(string directory, StepKindCatalog? kinds = null)
    {
        if (!Directory.Exists(directory))
            throw new DefinitionException([$"{directory}: workflows directory not found"]);
        var files = Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new DefinitionException([$"{directory}: no workflow definitions (*.json)"]);
        var problems = new List<string>();
        var definitions = new List<CutoverDefinition>();
        foreach (var file in files)
        {
            try
            {
                definitions.Add(Parse(File.ReadAllBytes(file), file, kinds));
            }
            catch (DefinitionException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        foreach (var dup in definitions.GroupBy(d => (d.Id, d.Version)).Where(g => g.Count() > 1))
            problems.Add(
                $"{string.Join(" and ", dup.Select(d => d.SourcePath))}: both define {dup.Key.Id} version {dup.Key.Version}"
            );
        if (problems.Count > 0)
            throw new DefinitionException(problems);
        return new DefinitionCatalog(definitions);
    }

    /// <param name="kinds">The step kinds the definition may name; default the engine's own.</param>
    public static CutoverDefinition Parse(byte[] utf8, string path, StepKindCatalog? kinds = null)
    {
        kinds ??= StepKindCatalog.Engine;
        var file = Path.GetFileName(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new DefinitionException([
                $"{file}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: $: not valid JSON: {FirstSentence(e.Message)}",
            ]);
        }
        using (doc)
        {
            var positions = JsonPositions.Map(utf8, ReaderOptions);
            var problems = new List<string>();
            void Problem(string jsonPath, string message)
            {
                var (line, col) = positions.TryGetValue(jsonPath, out var p) ? p : (1, 1);
                problems.Add($"{file}:{line}:{col}: {jsonPath}: {message}");
            }

            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DefinitionException([$"{file}:1:1: $: a definition is a JSON object"]);
            foreach (var p in root.EnumerateObject())
                if (!TopFields.Contains(p.Name))
                    Problem($"$.{p.Name}", $"unknown field '{p.Name}' (allowed: {string.Join(", ", TopFields)})");

            var id = String(root, "$", "id", Problem, required: true) ?? "";
            if (id.Length > 0 && !IdPattern().IsMatch(id))
                Problem("$.id", $"'{id}' is not a definition id ([a-z][a-z0-9-]*)");
            var version = (int)(Number(root, "$", "version", 1, 100_000, Problem, required: true) ?? 0);
            var description = String(root, "$", "description", Problem, required: false) ?? "";
            var budget = Number(root, "$", "windowBudgetMinutes", 1, 240, Problem, required: false) ?? 60;
            var lease = Number(root, "$", "pauseLeaseMinutes", 1, 60, Problem, required: false) ?? 10;
            if (lease >= budget)
                Problem(
                    "$.pauseLeaseMinutes",
                    $"the pause lease ({lease} min) must be shorter than the window budget ({budget} min)"
                );
            var renewal = Number(root, "$", "leaseRenewalFraction", 0.1, 0.9, Problem, required: false) ?? 0.5;
            var steps = Steps(root, "steps", isRollback: false, kinds, Problem);
            var rollback = Steps(root, "rollback", isRollback: true, kinds, Problem);

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in steps.Concat(rollback))
                if (!names.Add(s.Step.Name))
                    Problem(
                        $"{s.Path}.name",
                        $"duplicate step name '{s.Step.Name}' (names are unique across steps and rollback)"
                    );
            CheckPlacement(steps, StepPaths.Forward, kinds, Problem);
            CheckPlacement(rollback, StepPaths.Rollback, kinds, Problem);
            var expectedFile = $"{id}.v{version.ToString(CultureInfo.InvariantCulture)}.json";
            if (id.Length > 0 && version > 0 && file != expectedFile)
                Problem("$.id", $"the file of {id} version {version} must be named {expectedFile}, not {file}");

            if (problems.Count > 0)
                throw new DefinitionException(problems);
            return new CutoverDefinition(
                id,
                version,
                description,
                TimeSpan.FromMinutes(budget),
                TimeSpan.FromMinutes(lease),
                renewal,
                [.. steps.Select(s => s.Step)],
                [.. rollback.Select(s => s.Step)],
                Convert.ToHexStringLower(SHA256.HashData(utf8)),
                Path.GetFullPath(path)
            );
        }
    }

    sealed record LocatedStep(StepDefinition Step, string Path);

    static List<LocatedStep> Steps(
        JsonElement root,
        string field,
        bool isRollback,
        StepKindCatalog kinds,
        Action<string, string> problem
    )
    {
        var list = new List<LocatedStep>();
        if (!root.TryGetProperty(field, out var array))
        {
            problem("$", $"missing field '{field}'");
            return list;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            problem($"$.{field}", "must be an array of steps");
            return list;
        }
        var index = 0;
        foreach (var el in array.EnumerateArray())
        {
            var path = $"$.{field}[{index}]";
            if (el.ValueKind != JsonValueKind.Object)
            {
                problem(path, "a step is an object");
                index++;
                continue;
            }
            foreach (var p in el.EnumerateObject())
                if (!StepFields.Contains(p.Name))
                    problem($"{path}.{p.Name}", $"unknown field '{p.Name}' (allowed: {string.Join(", ", StepFields)})");
            var name = String(el, path, "name", problem, required: true) ?? "";
            var kindText = String(el, path, "kind", problem, required: true);
            StepKindDescriptor? kind = null;
            if (kindText is not null)
            {
                kind = kinds.Find(kindText);
                if (kind is null)
                    problem(
                        $"{path}.kind",
                        $"unknown step kind '{kindText}' (allowed: {string.Join(", ", kinds.All.Select(k => k.Name))})"
                    );
            }
            var timeout = Number(el, path, "timeoutSeconds", 1, 3600, problem, required: true) ?? 60;
            var attempts = (int)(Number(el, path, "attempts", 1, 20, problem, required: false) ?? 3);
            var poll = Number(el, path, "pollSeconds", 0.1, 60, problem, required: false);
            var checks = new List<string>();
            if (el.TryGetProperty("checks", out var checksEl))
            {
                if (checksEl.ValueKind != JsonValueKind.Array)
                    problem($"{path}.checks", "must be an array of check names");
                else
                {
                    var ci = 0;
                    foreach (var c in checksEl.EnumerateArray())
                    {
                        var text = c.ValueKind == JsonValueKind.String ? c.GetString()! : c.ToString();
                        if (!CheckNames.All.Contains(text))
                            problem(
                                $"{path}.checks[{ci}]",
                                $"unknown check '{text}' (allowed: {string.Join(", ", CheckNames.All)})"
                            );
                        else
                            checks.Add(text);
                        ci++;
                    }
                }
                if (kind is not null && !kind.Declaration.TakesChecks)
                    problem(
                        $"{path}.checks",
                        $"only a {string.Join(" or ", kinds.All.Where(k => k.Declaration.TakesChecks).Select(k => k.Name))} step has checks"
                    );
            }
            var takesChecks = kind?.Declaration.TakesChecks == true;
            if (takesChecks && checks.Count == 0 && !checksEl.Equals(default(JsonElement)))
                problem($"{path}.checks", $"a {kind!.Name} step needs at least one check");
            if (takesChecks && !el.TryGetProperty("checks", out _))
                problem(path, $"a {kind!.Name} step needs 'checks'");
            if (kind is not null)
                list.Add(
                    new LocatedStep(
                        new StepDefinition(
                            name,
                            kind.Name,
                            TimeSpan.FromSeconds(timeout),
                            attempts,
                            poll is { } ps ? TimeSpan.FromSeconds(ps) : null,
                            checks,
                            isRollback,
                            index
                        ),
                        path
                    )
                );
            index++;
        }
        return list;
    }

    /// <summary>The placement rules the step kinds declare (<see cref="CutoverStepKindAttribute"/>), checked on one
    /// path.</summary>
    static void CheckPlacement(
        List<LocatedStep> steps,
        StepPaths path,
        StepKindCatalog kinds,
        Action<string, string> problem
    )
    {
        var forward = path == StepPaths.Forward;
        var pathName = forward ? "forward" : "rollback";
        foreach (var s in steps.Where(s => !kinds.Get(s.Step.Kind).MayAppearIn(path)))
            problem(
                $"{s.Path}.kind",
                forward
                    ? $"{s.Step.Kind} belongs to the rollback, not the forward steps"
                    : $"{s.Step.Kind} is a forward step and cannot be part of the rollback"
            );
        foreach (var kind in kinds.All.Where(k => k.IsRequiredIn(path)))
        {
            var count = steps.Count(s => s.Step.Kind == kind.Name);
            if (count == 0)
                problem(
                    $"$.{(forward ? "steps" : "rollback")}",
                    forward ? $"the forward steps need a {kind.Name} step" : $"the rollback needs a {kind.Name} step"
                );
            else if (count > 1 && forward)
                problem(
                    steps.Where(s => s.Step.Kind == kind.Name).Skip(1).First().Path + ".kind",
                    $"{kind.Name} may appear once in the forward steps"
                );
        }
        int Pos(string kind) => steps.FindIndex(s => s.Step.Kind == kind);
        if (forward)
        {
            // Safety order: nothing changes before the pause and the snapshot; nothing resumes before verification.
            var order = kinds
                .All.Where(k => k.Declaration.ForwardOrder > 0)
                .OrderBy(k => k.Declaration.ForwardOrder)
                .Select(k => k.Name)
                .ToList();
            for (int i = 1; i < order.Count; i++)
            {
                var (before, after) = (Pos(order[i - 1]), Pos(order[i]));
                if (before >= 0 && after >= 0 && after < before)
                    problem(steps[after].Path + ".kind", $"{order[i]} must come after {order[i - 1]}");
            }
        }
        foreach (var kind in kinds.All)
        {
            var at = Pos(kind.Name);
            if (at < 0)
                continue;
            var d = kind.Declaration;
            var misplaced =
                d.After.Any(other => Pos(other) is var o && o >= 0 && at < o)
                || d.Before.Any(other => Pos(other) is var o && o >= 0 && at > o);
            if (misplaced)
            {
                var after = d.After.Length > 0 ? $" after {string.Join(" and ", d.After)}" : "";
                var before =
                    d.Before.Length > 0
                        ? $"{(after.Length > 0 ? " and" : "")} before {string.Join(" and ", d.Before)}"
                        : "";
                problem(
                    steps[at].Path + ".kind",
                    $"{kind.Name} must come{after}{before}{(d.Because is null ? "" : $" ({d.Because})")}"
                );
            }
            if (d.Last && at != steps.Count - 1)
                problem(steps[at].Path + ".kind", $"{kind.Name} must be the last {pathName} step");
        }
    }

    static string? String(JsonElement obj, string path, string field, Action<string, string> problem, bool required)
    {
        if (!obj.TryGetProperty(field, out var v))
        {
            if (required)
                problem(path, $"missing field '{field}'");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
        {
            problem($"{path}.{field}", $"'{field}' must be a non-empty string");
            return null;
        }
        return v.GetString();
    }

    static double? Number(
        JsonElement obj,
        string path,
        string field,
        double min,
        double max,
        Action<string, string> problem,
        bool required
    )
    {
        if (!obj.TryGetProperty(field, out var v))
        {
            if (required)
                problem(path, $"missing field '{field}'");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d))
        {
            problem(
                $"{path}.{field}",
                $"'{field}' must be a number, not {v.ValueKind.ToString().ToLowerInvariant()} {v}"
            );
            return null;
        }
        if (d < min || d > max)
        {
            problem(
                $"{path}.{field}",
                $"{d.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}"
            );
            return null;
        }
        return d;
    }

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
