using System.CommandLine;
using System.Text.Json;
using CutoverEngine.Aws;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Identity;
using CutoverEngine.Cli.Doctor;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Sending;
using CutoverEngine.Sending.SendingControl;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// `cutover doctor --config FILE [--inventory FILE]`: before a rehearsal or a wave, checks per account that the
/// credentials resolve, act in that account, and are allowed what infra/aws/iam-policy.json lists (where AWS can tell
/// without a change), that each hosted zone of the inventory exists and its name servers answer, and that each sending
/// control answers. Changes nothing; exits 1 when any check fails.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
            Required = true,
        };
        var inventory = new Option<FileInfo?>("--inventory")
        {
            Description = "Inventory YAML: adds zone and sending-control checks",
        };
        var policy = new Option<FileInfo>("--policy")
        {
            Description = "IAM policy whose actions are checked",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("infra", "aws", "iam-policy.json")),
        };
        var command = new Command(
            "doctor",
            "Check credentials, identity, permissions, zones and sending controls; changes nothing"
        )
        {
            config,
            inventory,
            policy,
        };
        command.SetAction(
            async (parse, ct) =>
                await RunAsync(
                    parse.GetValue(config)!,
                    parse.GetValue(inventory),
                    parse.GetValue(policy)!,
                    Console.Out,
                    ct
                )
        );
        return command;
    }

    /// <summary>Runs every check, writes the table to <paramref name="output"/>; 0 when nothing failed, 1 when
    /// something did, 2 on bad input.</summary>
    public static async Task<int> RunAsync(
        FileInfo config,
        FileInfo? inventory,
        FileInfo policy,
        TextWriter output,
        CancellationToken ct
    )
    {
        if (!config.Exists)
        {
            await output.WriteLineAsync($"{config.FullName}: settings file not found");
            return 2;
        }
        if (!policy.Exists)
        {
            await output.WriteLineAsync($"{policy.FullName}: IAM policy not found (--policy)");
            return 2;
        }
        IReadOnlyList<CutoverEnvironment> environments = [];
        if (inventory is not null)
        {
            var selected = RunCommand.Select(inventory, null, all: true, out var error);
            if (selected is null)
            {
                await output.WriteLineAsync(error);
                return 2;
            }
            environments = selected;
        }
        var actions = PolicyActions(policy);
        var configuration = CliHosting.Configuration(config);
        var services = new ServiceCollection().AddCutoverAws(configuration).AddCutoverSending(configuration);
        await using var provider = services.BuildServiceProvider();
        AwsOptions options;
        try
        {
            options = provider.GetRequiredService<IOptions<AwsOptions>>().Value;
            options.Validate();
        }
        catch (Exception e) when (e is AwsConfigurationException or OptionsValidationException)
        {
            await output.WriteLineAsync(e.Message);
            return 2;
        }

        var checks = new List<DoctorCheck>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var route53 = new Route53Probe(http, options);
        foreach (var account in options.Accounts)
            checks.AddRange(
                await CheckAccountAsync(
                    provider,
                    route53,
                    account,
                    actions,
                    [.. environments.Where(e => e.Account.Id == account.Id)],
                    ct
                )
            );
        foreach (
            var missing in environments
                .Select(e => e.Account.Id)
                .Distinct()
                .Where(id => options.Accounts.All(a => a.Id != id))
        )
            checks.Add(
                DoctorCheck.Fail(missing, "configured", $"the inventory names account {missing}; Aws:Accounts does not")
            );
        var sending = provider.GetRequiredService<ISendingControl>();
        foreach (var e in environments)
        {
            try
            {
                // The address the engine itself calls: for an agent it carries where the token and CA come from.
                var status = await sending.GetStatusAsync(CutoverSubject.ControlAddress(e), ct);
                checks.Add(
                    DoctorCheck.Ok(e.Id, "sending control answers", $"{e.SendingControl} (queue {status.QueueDepth})")
                );
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                checks.Add(DoctorCheck.Fail(e.Id, "sending control answers", $"{e.SendingControl}: {ex.Message}"));
            }
        }
        Write(output, checks);
        return checks.Any(c => c.Outcome == DoctorOutcome.Fail) ? 1 : 0;
    }

    static async Task<List<DoctorCheck>> CheckAccountAsync(
        IServiceProvider provider,
        Route53Probe route53,
        AwsAccountOptions account,
        IReadOnlyList<string> actions,
        IReadOnlyList<CutoverEnvironment> environments,
        CancellationToken ct
    )
    {
        var id = account.Id;
        var rows = new List<DoctorCheck>();
        Amazon.Runtime.AWSCredentials credentials;
        try
        {
            credentials = provider.GetRequiredService<IAwsCredentialsSource>().GetCredentials(account);
            var keys = await credentials.GetCredentialsAsync();
            rows.Add(
                DoctorCheck.Ok(
                    id,
                    "credentials resolve",
                    account.RoleArn is null
                        ? $"key {keys.AccessKey[..Math.Min(8, keys.AccessKey.Length)]}..."
                        : $"role {account.RoleArn} assumed (key {keys.AccessKey[..Math.Min(8, keys.AccessKey.Length)]}...)"
                )
            );
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            rows.Add(DoctorCheck.Fail(id, "credentials resolve", e.Message));
            return rows; // nothing else can be asked without credentials
        }
        try
        {
            var caller = await provider.GetRequiredService<IAwsCallerIdentity>().GetAsync(id, ct);
            rows.Add(
                caller.Account == id
                    ? DoctorCheck.Ok(id, "identity matches", caller.Arn)
                    : DoctorCheck.Fail(
                        id,
                        "identity matches",
                        Engine.Cutovers.AccountIdentityCheck.Describe(id, caller)
                    )
            );
            if (caller.Account != id)
                return rows; // what another account allows says nothing about this one
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            rows.Add(DoctorCheck.Fail(id, "identity matches", e.Message));
            return rows;
        }

        var target = environments
            .SelectMany(e => e.MtaHosts)
            .Select(h => h.Target)
            .FirstOrDefault(t => t.AllocationId is not null);
        var cidr =
            environments.Select(e => e.ByoipCidr?.ToString()).FirstOrDefault(c => c is not null) ?? "203.0.113.0/24";
        var ec2 = provider.GetRequiredService<IEc2ClientFactory>().For(id);
        foreach (var action in actions.Where(a => a.StartsWith("ec2:", StringComparison.Ordinal)).Select(a => a[4..]))
        {
            var request = Ec2DryRun.For(
                action,
                target?.AllocationId ?? "eipalloc-00000000000000000",
                target?.InstanceId ?? "i-00000000000000000",
                cidr
            );
            rows.Add(
                request is null
                    ? new DoctorCheck(id, "allowed: ec2:" + action, DoctorOutcome.Unknown, "no dry run for this action")
                    : await Ec2DryRun.AskAsync(ec2, id, action, request)
            );
        }

        var zones = environments.Select(e => e.HostedZone).DistinctBy(z => z.Id).ToList();
        if (actions.Contains("route53:ListHostedZonesByName"))
            rows.Add(
                Allowed(
                    id,
                    "route53:ListHostedZonesByName",
                    await route53.GetAsync(credentials, "/2013-04-01/hostedzonesbyname", [new("maxitems", "1")], ct)
                )
            );
        if (actions.Contains("route53:GetChange"))
        {
            // No change of ours to ask about: NoSuchChange proves the call is allowed.
            var answer = await route53.GetAsync(credentials, "/2013-04-01/change/C0000000000000DOCTOR", [], ct);
            rows.Add(
                answer.ErrorCode == "NoSuchChange"
                    ? DoctorCheck.Ok(id, "allowed: route53:GetChange", "NoSuchChange (allowed)")
                    : Allowed(id, "route53:GetChange", answer)
            );
        }
        if (actions.Contains("route53:ChangeResourceRecordSets"))
            rows.Add(
                new DoctorCheck(
                    id,
                    "allowed: route53:ChangeResourceRecordSets",
                    DoctorOutcome.Unknown,
                    "Route 53 has no dry run; a change would be needed to tell"
                )
            );
        var dns = provider.GetRequiredService<DnsQueries>();
        foreach (var zone in zones)
        {
            var subject = $"{id} {zone.Name}";
            // The apex NS set through ListResourceRecordSets: proves the zone exists with an action the policy grants.
            var zoneAnswer = await route53.GetAsync(
                credentials,
                $"/2013-04-01/hostedzone/{zone.Id}/rrset",
                [new("name", zone.Name), new("type", "NS"), new("maxitems", "1")],
                ct
            );
            if (!zoneAnswer.Succeeded)
            {
                rows.Add(
                    zoneAnswer.ErrorCode == "AccessDenied"
                        ? Allowed(subject, "route53:ListResourceRecordSets", zoneAnswer)
                        : DoctorCheck.Fail(
                            subject,
                            "zone exists",
                            $"{zone.Id}: {zoneAnswer.ErrorCode}: {zoneAnswer.Message}"
                        )
                );
                continue;
            }
            rows.Add(
                DoctorCheck.Ok(
                    subject,
                    "zone exists",
                    $"{zone.Id}, name servers {string.Join(", ", zoneAnswer.NameServers)}"
                )
            );
            rows.Add(Allowed(subject, "route53:ListResourceRecordSets", zoneAnswer));
            try
            {
                var soa = await dns.AuthoritativeAsync(zone.Name, zone.Name, DnsClient.QueryType.SOA, ct);
                rows.Add(
                    soa.ResponseCode == "NoError" && soa.Records.Count > 0
                        ? DoctorCheck.Ok(subject, "name servers answer", $"SOA {soa.Records[0]}")
                        : DoctorCheck.Fail(
                            subject,
                            "name servers answer",
                            $"SOA query answered {soa.ResponseCode} with {soa.Records.Count} records"
                        )
                );
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                rows.Add(DoctorCheck.Fail(subject, "name servers answer", e.Message));
            }
        }
        return rows;
    }

    static DoctorCheck Allowed(string subject, string action, Route53Probe.Answer answer) =>
        answer switch
        {
            { Succeeded: true } => DoctorCheck.Ok(subject, "allowed: " + action, "answered"),
            { ErrorCode: "AccessDenied" } => DoctorCheck.Fail(
                subject,
                "allowed: " + action,
                $"AccessDenied: {answer.Message}"
            ),
            _ => new DoctorCheck(
                subject,
                "allowed: " + action,
                DoctorOutcome.Unknown,
                $"{answer.ErrorCode}: {answer.Message}"
            ),
        };

    /// <summary>The Allow actions of an IAM policy document, in order.</summary>
    public static IReadOnlyList<string> PolicyActions(FileInfo policy)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(policy.FullName));
        var actions = new List<string>();
        foreach (var statement in doc.RootElement.GetProperty("Statement").EnumerateArray())
        {
            if (statement.TryGetProperty("Effect", out var effect) && effect.GetString() != "Allow")
                continue;
            var action = statement.GetProperty("Action");
            if (action.ValueKind == JsonValueKind.String)
                actions.Add(action.GetString()!);
            else
                actions.AddRange(action.EnumerateArray().Select(a => a.GetString()!));
        }
        return actions;
    }

    static void Write(TextWriter output, IReadOnlyList<DoctorCheck> checks)
    {
        var subject = Math.Max(7, checks.Count == 0 ? 0 : checks.Max(c => c.Subject.Length));
        var check = Math.Max(5, checks.Count == 0 ? 0 : checks.Max(c => c.Check.Length));
        output.WriteLine($"{"SUBJECT".PadRight(subject)}  {"CHECK".PadRight(check)}  RESULT   DETAIL");
        foreach (var c in checks)
        {
            var result = c.Outcome switch
            {
                DoctorOutcome.Ok => "ok",
                DoctorOutcome.Fail => "FAIL",
                _ => "unknown",
            };
            output.WriteLine($"{c.Subject.PadRight(subject)}  {c.Check.PadRight(check)}  {result, -7}  {c.Detail}");
        }
        var failed = checks.Count(c => c.Outcome == DoctorOutcome.Fail);
        output.WriteLine(
            failed == 0 ? $"{checks.Count} checks, none failed." : $"{checks.Count} checks, {failed} FAILED."
        );
    }
}
