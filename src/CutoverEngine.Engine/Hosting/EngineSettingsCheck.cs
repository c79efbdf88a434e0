using System.Globalization;
using System.Net;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Engine.Hosting;

/// <summary>
/// The settings checked against the environments a command is about to act on, before anything starts: every
/// account they name has an entry (with keys, a profile, a role or the SDK's default chain), endpoints parse,
/// verification's overrides agree with the endpoints, the database file is SQLite in a writable directory, the
/// cutover definitions load, the webhook receivers are usable (their secrets readable), and the safety caps make
/// sense.
/// Without it a missing account surfaced as an exception in preflight, after a cutover had been started and
/// journaled. One line per problem, naming the setting.
/// </summary>
public static class EngineSettingsCheck
{
    /// <summary>The settings file `cutover sandbox` writes by default; the problems point a newcomer at it.</summary>
    public const string SandboxSettingsFile = "sandbox.settings.json";

    /// <summary>Environments named in a problem before it says how many more.</summary>
    const int NamedEnvironments = 3;

    static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    public static IReadOnlyList<string> Problems(
        IConfiguration configuration,
        IReadOnlyCollection<CutoverEnvironment> environments
    )
    {
        var problems = new List<string>();
        AwsOptions aws;
        VerificationOptions verification;
        EngineOptions engine;
        Webhooks.WebhookOptions webhooks;
        Domain.Safety.SafetyOptions safety;
        try
        {
            aws = configuration.GetSection(AwsOptions.SectionName).Get<AwsOptions>() ?? new AwsOptions();
            verification =
                configuration.GetSection(VerificationOptions.SectionName).Get<VerificationOptions>()
                ?? new VerificationOptions();
            engine = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
            webhooks =
                configuration.GetSection(Webhooks.WebhookOptions.SectionName).Get<Webhooks.WebhookOptions>()
                ?? new Webhooks.WebhookOptions();
            safety =
                configuration.GetSection(Domain.Safety.SafetyOptions.SectionName).Get<Domain.Safety.SafetyOptions>()
                ?? new Domain.Safety.SafetyOptions();
        }
        catch (InvalidOperationException e)
        {
            // A value that does not convert (a word where a number belongs): the binder names the key.
            return [$"settings: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}"];
        }
        problems.AddRange(aws.Problems());
        problems.AddRange(AccountProblems(aws, environments));
        problems.AddRange(VerificationProblems(aws, verification));
        problems.AddRange(DatabaseProblems(engine.DatabasePath));
        problems.AddRange(DefinitionProblems(engine.WorkflowsDirectory));
        problems.AddRange(webhooks.Validate());
        problems.AddRange(safety.Validate());
        return problems;
    }

    /// <summary>The cutover definitions the engine would load (each error with file:line:column).</summary>
    static IEnumerable<string> DefinitionProblems(string? directory)
    {
        try
        {
            DefinitionLoader.LoadDirectory(directory ?? DefinitionLoader.FindWorkflowsDirectory());
            return [];
        }
        catch (DefinitionException e)
        {
            return [e.Message];
        }
    }

    static IEnumerable<string> AccountProblems(AwsOptions aws, IReadOnlyCollection<CutoverEnvironment> environments)
    {
        var next = aws.Accounts.Count; // the index each missing account would take, in the order named
        foreach (var used in environments.GroupBy(e => e.Account.Id, StringComparer.Ordinal).OrderBy(g => g.Key))
        {
            var ids = used.Select(e => e.Id).ToList();
            var names =
                string.Join(", ", ids.Take(NamedEnvironments))
                + (ids.Count > NamedEnvironments ? $" and {ids.Count - NamedEnvironments} more" : "");
            var index = aws.Accounts.FindIndex(a => string.Equals(a.Id, used.Key, StringComparison.Ordinal));
            if (index < 0)
            {
                yield return $"{AwsOptions.SectionName}:Accounts: no entry for account {used.Key} (used by {names}): "
                    + $"add {AwsOptions.SectionName}:Accounts:{next++}:Id = {used.Key} with AccessKeyId and SecretAccessKey, "
                    + $"Profile or RoleArn (or none of them for the SDK's default chain), or run against the sandbox with --config {SandboxSettingsFile}";
                continue;
            }
            var account = aws.Accounts[index];
            if (
                string.IsNullOrEmpty(account.AccessKeyId)
                && account.Profile is { Length: > 0 } profile
                && !AwsCredentialsSource.ProfileExists(profile)
            )
                yield return $"{AwsOptions.SectionName}:Accounts:{index}:Profile: profile '{profile}' (account {used.Key}, used by {names}) "
                    + "is in neither ~/.aws/credentials nor ~/.aws/config";
        }
    }

    static IEnumerable<string> VerificationProblems(AwsOptions aws, VerificationOptions verification)
    {
        var section = VerificationOptions.SectionName;
        if (verification.AuthoritativeServerOverride is { Length: > 0 } dns)
        {
            if (!IPEndPoint.TryParse(dns, out var endpoint) || endpoint.Port == 0)
                yield return $"{section}:AuthoritativeServerOverride '{dns}' is not ADDRESS:PORT (e.g. 127.0.0.1:8053)";
        }
        else if (LoopbackEndpoint(aws) is { } sandbox)
            // A loopback AWS endpoint is a sandbox: its zones' NS records name servers that exist only inside it.
            yield return $"{section}:AuthoritativeServerOverride is not set while {sandbox} points at this machine (a sandbox): "
                + $"verification would ask the zones' public name servers; set it to the sandbox's DNS (e.g. 127.0.0.1:8053) or use --config {SandboxSettingsFile}";
        if (verification.SmtpPort is < 1 or > 65_535)
            yield return $"{section}:SmtpPort {verification.SmtpPort.ToString(CultureInfo.InvariantCulture)} is not a port (1..65535)";
    }

    static string? LoopbackEndpoint(AwsOptions aws)
    {
        foreach (
            var (name, url) in new[]
            {
                ("ServiceUrl", aws.ServiceUrl),
                ("Route53ServiceUrl", aws.Route53ServiceUrl),
                ("Ec2ServiceUrl", aws.Ec2ServiceUrl),
            }
        )
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback)
                return $"{AwsOptions.SectionName}:{name} {url}";
        return null;
    }

    /// <summary>The database must be SQLite (or not exist yet) and its directory writable, or the nearest existing
    /// directory above it creatable in: else the engine fails deep inside WorkflowCore's first write.</summary>
    static IEnumerable<string> DatabaseProblems(string databasePath)
    {
        var setting = $"{EngineOptions.SectionName}:DatabasePath";
        var full = Path.GetFullPath(databasePath);
        if (Directory.Exists(full))
        {
            yield return $"{setting}: {full} is a directory; name the database file (e.g. {Path.Combine(full, "cutover.db")})";
            yield break;
        }
        if (File.Exists(full))
        {
            string? problem = null;
            try
            {
                using var stream = File.OpenRead(full);
                var header = new byte[SqliteHeader.Length];
                var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
                // An empty file is what SQLite makes a new database of; anything else must carry its header.
                if (read > 0 && !header.AsSpan(0, read).SequenceEqual(SqliteHeader))
                    problem =
                        $"{setting}: {full} is not an SQLite database (it does not start with \"SQLite format 3\"); point it at the engine's database or a new file";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"{setting}: {full} cannot be read: {e.Message}";
            }
            if (problem is not null)
            {
                yield return problem;
                yield break;
            }
        }
        var directory = Path.GetDirectoryName(full)!;
        var existing = directory;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                yield return $"{setting}: {existing} is a file, so {directory} cannot be created for the database";
                yield break;
            }
            existing = Path.GetDirectoryName(existing);
            if (existing is null)
                yield break;
        }
        if (WriteProblem(existing) is { } why)
            yield return existing == directory
                ? $"{setting}: the directory {directory} is not writable ({why}); the engine keeps its database, lock and journal there"
                : $"{setting}: {directory} cannot be created: {existing} is not writable ({why})";
    }

    /// <summary>Writes and removes a probe file: permission bits do not tell (root ignores them, a read-only mount
    /// does not show in them).</summary>
    static string? WriteProblem(string directory)
    {
        var probe = Path.Combine(directory, $".cutover-write-probe-{Environment.ProcessId}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
