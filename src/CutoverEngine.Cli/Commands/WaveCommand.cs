using System.CommandLine;
using System.Globalization;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Finalisation;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Engine.Waves.Freezes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// `cutover wave create|show|list|schedule|reschedule|start|stop|resume|cancel|notify|move`: thin commands over
/// <see cref="WaveService"/> on the engine's database, the same calls the API makes (policy, overrides, journal).
/// Waves run in `cutover serve`: a schedule, start or resume made here is a wave-start workflow in the shared store
/// that serve's WorkflowCore poller picks up, whether serve runs now or starts later.
/// </summary>
public static class WaveCommand
{
    public static Command Create()
    {
        var command = new Command(
            "wave",
            "Plan and drive waves: create, show, list, schedule, reschedule, prepare, approve, revoke, start, stop, resume, cancel, finalise, notify customers, move an environment"
        );
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(ShowCommand());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(ScheduleCommand("schedule", "Schedule a wave to start by itself at --at"));
        command.Subcommands.Add(
            ScheduleCommand("reschedule", "Move a scheduled or missed wave to --at (needs --reason)")
        );
        command.Subcommands.Add(PrepareCommand());
        command.Subcommands.Add(FinaliseCommand());
        command.Subcommands.Add(
            ApprovalCommand("approve", "Approve a wave as it stands (needed for production; not by its creator)")
        );
        command.Subcommands.Add(ApprovalCommand("revoke", "Withdraw your approval of a wave"));
        command.Subcommands.Add(StartCommand());
        command.Subcommands.Add(StopCommand());
        command.Subcommands.Add(ResumeCommand());
        command.Subcommands.Add(CancelCommand());
        command.Subcommands.Add(NotifyCommand());
        command.Subcommands.Add(MoveCommand());
        return command;
    }

    static readonly Option<FileInfo> InventoryOption = new("--inventory")
    {
        Description = "Inventory YAML",
        Required = true,
    };

    /// <summary>For commands that read waves only: with it, `show` also checks the policy.</summary>
    static readonly Option<FileInfo?> OptionalInventoryOption = new("--inventory")
    {
        Description = "Inventory YAML (optional: with it, the policy is checked too)",
    };
    static readonly Option<FileInfo?> ConfigOption = new("--config")
    {
        Description = "Settings file (JSON) on top of ./appsettings.json",
    };

    /// <summary>
    /// The wave service on the engine's database, with WorkflowCore's store but no workers: scheduling writes the
    /// wave's wave-start workflow into the shared store, where the WorkflowCore poller of a running (or the next)
    /// `cutover serve` picks it up.
    /// </summary>
    static ServiceProvider WaveServices(IConfiguration configuration, Inventory inventory)
    {
        var engine = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.SectionName));
        services.AddWorkflowStore(engine);
        services.AddSingleton<ICutoverJournal>(sp => new SqliteJournal(
            engine.DatabasePath,
            sp.GetRequiredService<TimeProvider>()
        ));
        services.AddCutoverWaves(configuration, inventory);
        services.AddSingleton<IWaveStarter, HandOverStarter>();
        var provider = services.BuildServiceProvider();
        provider.RegisterEngineWorkflows();
        return provider;
    }

    static Task<int> WithServiceAsync(ParseResult parse, Func<WaveService, Task<int>> action) =>
        WithServiceAsync(parse, (service, _) => action(service));

    static async Task<int> WithServiceAsync(ParseResult parse, Func<WaveService, IServiceProvider, Task<int>> action)
    {
        try
        {
            var inventory = InventoryFile.Load(
                parse.GetValue(InventoryOption) ?? parse.GetValue(OptionalInventoryOption)!,
                "--inventory"
            );
            var configuration = CliHosting.Configuration(parse.GetValue(ConfigOption));
            await using var provider = WaveServices(configuration, inventory);
            return await action(provider.GetRequiredService<WaveService>(), provider);
        }
        catch (PolicyRefusedException e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
        catch (NoticesFailedException e)
        {
            // As `wave notify` does when the relay did not take a notice.
            Console.Error.WriteLine(e.Message);
            return 4;
        }
        catch (Exception e)
            when (e
                    is WaveStateException
                        or KeyNotFoundException
                        or ArgumentException
                        or FormatException
                        or UnknownEnvironmentException
                        or FileNotFoundException
                        or InvalidOperationException
            )
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var t
        )
            ? t
            : throw new FormatException($"'{text}' is not a time; use ISO 8601, e.g. 2026-07-01T22:00:00Z.");

    static Command CreateCommand()
    {
        var id = new Argument<string>("wave");
        var environments = new Option<string>("--environments")
        {
            Description = "Comma-separated environment ids",
            Required = true,
        };
        var planned = new Option<string>("--planned-start")
        {
            Description = "Announced start, UTC (ISO 8601)",
            Required = true,
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Cutovers at once (default 1)",
            DefaultValueFactory = _ => 1,
        };
        var order = new Option<string>("--order")
        {
            Description = "tier or explicit",
            DefaultValueFactory = _ => "tier",
        };
        order.AcceptOnlyFromAmong("tier", "explicit");
        var c = new Command("create", "Create a draft wave")
        {
            id,
            environments,
            planned,
            parallel,
            order,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async s =>
                    {
                        var w = await s.CreateAsync(
                            parse.GetValue(id)!,
                            parse
                                .GetValue(environments)!
                                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                            ParseTime(parse.GetValue(planned)!),
                            parse.GetValue(parallel),
                            WaveNames.ParseOrder(parse.GetValue(order)!),
                            RunCommand.Actor(),
                            ct
                        );
                        Write(w);
                        return 0;
                    }
                )
        );
        return c;
    }

    /// <summary>The store alone, for commands that only read waves: no inventory needed.</summary>
    static async Task<int> WithStoreAsync(ParseResult parse, Func<WaveStore, WaveService?, Task<int>> action)
    {
        if (parse.GetValue(OptionalInventoryOption) is not null)
            return await WithServiceAsync(parse, s => action(s.Store, s));
        var configuration = CliHosting.Configuration(parse.GetValue(ConfigOption));
        var engine = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        if (!File.Exists(engine.DatabasePath))
            throw new CliInputException(
                $"Engine:DatabasePath: {Path.GetFullPath(engine.DatabasePath)} does not exist: no wave was created on this database (give --config FILE for another)"
            );
        return await action(new WaveStore(engine.DatabasePath), null);
    }

    static Command ShowCommand()
    {
        var id = new Argument<string>("wave");
        var c = new Command("show", "Show a wave, its cutovers and overrides (and the policy, with --inventory)")
        {
            id,
            OptionalInventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithStoreAsync(
                    parse,
                    async (store, service) =>
                    {
                        var w = await store.GetAsync(parse.GetValue(id)!, ct);
                        Write(w);
                        var cutovers = await store.CutoversAsync(w.Id, ct);
                        var prepared = PrepareStoreOf(parse);
                        foreach (var e in w.Environments)
                            Console.WriteLine(
                                $"  {e, -24} {(cutovers.TryGetValue(e, out var k) ? k.Outcome ?? "in flight" : "not started"), -12} {Describe(await prepared.ReadinessAsync(e, ct))}"
                            );
                        foreach (var o in await store.OverridesAsync(w.Id, ct))
                            Console.WriteLine(
                                $"  override of {o.Operation} by {o.Override.Actor} at {o.Override.At:u}: {o.Override.Reason} ({o.Violations.Count} violation(s))"
                            );
                        var terms = ApprovalRule.Terms(w);
                        foreach (var a in await store.ApprovalsAsync(w.Id, ct))
                            Console.WriteLine(
                                $"  approval by {a.Person} ({a.Approver}) at {a.At:u}: {a.Reason}"
                                    + (a.Terms == terms ? "" : " [void: the wave changed since]")
                            );
                        if (service is null)
                            return 0;
                        var (valid, required) = await service.ApprovalStatusAsync(w, ct);
                        var missing = await service.MissingApprovalsAsync(w, ct);
                        Console.WriteLine(
                            missing.Count == 0
                                ? $"  approvals: {valid.Count} of {required} needed"
                                : "  approvals: " + string.Join("; ", missing)
                        );
                        try
                        {
                            foreach (var conflict in await service.FreezeConflictsAsync(w, ct))
                                Console.WriteLine("  frozen: " + conflict.Message);
                        }
                        catch (FreezeCalendarException e)
                        {
                            Console.WriteLine("  freezes: " + e.Message);
                        }
                        var violations = await service.CheckPolicyAsync(w, w.ScheduledFor ?? w.PlannedStart, ct);
                        Console.WriteLine(
                            violations.Count == 0
                                ? "  policy: satisfied"
                                : "  policy: " + string.Join("; ", violations.Select(v => v.Message))
                        );
                        return 0;
                    }
                )
        );
        return c;
    }

    static PrepareStore PrepareStoreOf(ParseResult parse)
    {
        var configuration = CliHosting.Configuration(parse.GetValue(ConfigOption));
        var engine = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        return new PrepareStore(engine.DatabasePath);
    }

    /// <summary>An environment's prepare state in one line: not prepared, ready, or not ready with each
    /// reason.</summary>
    public static string Describe(EnvironmentReadiness? readiness) =>
        readiness switch
        {
            null => "prepare: not prepared",
            { Ready: true } => $"prepare: ready (checked {readiness.CheckedAt:u})",
            _ => $"prepare: NOT READY (checked {readiness.CheckedAt:u}): "
                + string.Join("; ", readiness.Reasons.Select(r => r.Message)),
        };

    static Command PrepareCommand()
    {
        var id = new Argument<string>("wave");
        var wait = new Option<int?>("--wait")
        {
            Description =
                "Wait up to this many seconds for the engine to finish, then print each environment's readiness (exit 1 when any is not ready)",
        };
        var c = new Command(
            "prepare",
            "Prepare a wave's environments now: lower the TTLs the cutover changes, pre-authorise the new addresses in SPF, check readiness"
        )
        {
            id,
            wait,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async (s, services) =>
                    {
                        var wave = await s.Store.GetAsync(parse.GetValue(id)!, ct);
                        SettingsGate.Check(
                            services.GetRequiredService<IConfiguration>(),
                            s.Inventory.Select(wave.Environments)
                        );
                        var since = DateTimeOffset.UtcNow;
                        var started = await services
                            .GetRequiredService<WavePreparation>()
                            .PrepareNowAsync(wave.Id, RunCommand.Actor(), ct);
                        foreach (var (environment, instance) in started)
                            Console.WriteLine($"  {environment, -24} prepare workflow {instance}");
                        Console.WriteLine(PrepareHandedOver);
                        if (parse.GetValue(wait) is not { } seconds)
                            return 0;
                        var store = services.GetRequiredService<PrepareStore>();
                        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
                        var results = new Dictionary<string, EnvironmentReadiness>(StringComparer.Ordinal);
                        while (results.Count < started.Count)
                        {
                            foreach (var (environment, _) in started)
                                if (await store.ReadinessAsync(environment, ct) is { } r && r.CheckedAt >= since)
                                    results[environment] = r;
                            if (results.Count == started.Count)
                                break;
                            if (DateTimeOffset.UtcNow > deadline)
                            {
                                Console.Error.WriteLine(
                                    $"Wave '{wave.Id}': {started.Count - results.Count} prepare(s) not finished within {seconds} s; is `cutover serve` running on this database? ({string.Join(", ", started.Select(x => x.Environment).Where(e => !results.ContainsKey(e)))})"
                                );
                                return 1;
                            }
                            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                        }
                        foreach (var (environment, _) in started)
                            Console.WriteLine($"  {environment, -24} {Describe(results[environment])}");
                        return results.Values.All(r => r.Ready) ? 0 : 1;
                    }
                )
        );
        return c;
    }

    static Command FinaliseCommand()
    {
        var id = new Argument<string>("wave");
        var early = new Option<string?>("--early-reason")
        {
            Description =
                "Finalise environments whose soak (Waves:Finalise:Soak) is not over yet, for this reason (journaled)",
        };
        var wait = new Option<int?>("--wait")
        {
            Description =
                "Wait up to this many seconds for the engine to finish, then print each environment's result (exit 1 when any is not finalised)",
        };
        var c = new Command(
            "finalise",
            "Finalise a completed wave after its soak: TTLs back to their original values, the old addresses out of SPF, a BYOIP range confirmed withdrawn from the data centre; no revert afterwards"
        )
        {
            id,
            early,
            wait,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async (s, services) =>
                    {
                        var wave = await s.Store.GetAsync(parse.GetValue(id)!, ct);
                        if (wave.State != WaveState.Completed)
                            throw new WaveStateException(
                                $"Cannot finalise wave '{wave.Id}': it is {WaveNames.Of(wave.State)}; finalise comes after a completed wave and its soak. Nothing was changed."
                            );
                        var instance = await services
                            .GetRequiredService<FinaliseTrigger>()
                            .FinaliseOnceAsync(wave.Id, RunCommand.Actor(), parse.GetValue(early));
                        Console.WriteLine($"  finalise workflow {instance}");
                        Console.WriteLine(FinaliseHandedOver);
                        if (parse.GetValue(wait) is not { } seconds)
                            return 0;
                        var workflows = services.GetRequiredService<IPersistenceProvider>();
                        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
                        while (true)
                        {
                            var run = await workflows.GetWorkflowInstance(instance, ct);
                            if (run.Status == WorkflowStatus.Complete && run.Data is FinaliseData data)
                            {
                                foreach (var r in data.Results)
                                    Console.WriteLine(
                                        $"  {r.EnvironmentId, -24} {FinaliseNames.Of(r.Verdict)}{(r.Why is { } why ? $": {why}" : "")}"
                                    );
                                return data.Results.All(r =>
                                    r.Verdict is FinaliseVerdict.Finalised or FinaliseVerdict.AlreadyFinalised
                                )
                                    ? 0
                                    : 1;
                            }
                            if (DateTimeOffset.UtcNow > deadline)
                            {
                                Console.Error.WriteLine(
                                    $"Wave '{wave.Id}': finalise not finished within {seconds} s ({run.Status}); is `cutover serve` running on this database?"
                                );
                                return 1;
                            }
                            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                        }
                    }
                )
        );
        return c;
    }

    const string FinaliseHandedOver =
        "  handed to the engine: the `cutover serve` on this database runs the finalise (within Engine:PollInterval), or the next one started";

    static Command ListCommand()
    {
        var c = new Command("list", "List waves") { OptionalInventoryOption, ConfigOption };
        c.SetAction(
            (parse, ct) =>
                WithStoreAsync(
                    parse,
                    async (store, _) =>
                    {
                        foreach (var w in await store.ListAsync(null, ct))
                            Write(w);
                        return 0;
                    }
                )
        );
        return c;
    }

    /// <summary>What a start or resume made here leads to: the wave runs in serve, now or at its next start.</summary>
    const string HandedOver =
        "  handed to the engine: the `cutover serve` on this database runs its cutovers (within Engine:PollInterval), or the next one started";

    const string PrepareHandedOver =
        "  handed to the engine: the `cutover serve` on this database runs the prepare (within Engine:PollInterval), or the next one started";

    static Command StartCommand()
    {
        var id = new Argument<string>("wave");
        var overrideReason = new Option<string?>("--override-reason")
        {
            Description = "Go ahead despite the policy, for this recorded reason",
        };
        var dropUnready = new Option<bool>("--drop-unready")
        {
            Description =
                "First take the environments not prepared and ready out of the wave (journaled), then start the rest",
        };
        var c = new Command(
            "start",
            "Start a draft or scheduled wave now, after the policy check against now (and the prepare gate)"
        )
        {
            id,
            overrideReason,
            dropUnready,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async (s, services) =>
                    {
                        var wave = await s.Store.GetAsync(parse.GetValue(id)!, ct);
                        SettingsGate.Check(
                            services.GetRequiredService<IConfiguration>(),
                            s.Inventory.Select(wave.Environments)
                        );
                        if (parse.GetValue(dropUnready))
                            foreach (var dropped in await s.DropUnreadyAsync(wave.Id, RunCommand.Actor(), ct))
                                Console.WriteLine($"  {dropped, -24} dropped: not prepared and ready");
                        Write(await s.StartNowAsync(wave.Id, RunCommand.Actor(), parse.GetValue(overrideReason), ct));
                        Console.WriteLine(HandedOver);
                        return 0;
                    }
                )
        );
        return c;
    }

    /// <summary>`wave approve` and `wave revoke`: the approver is the OS user (cli:USER), as for every change
    /// here.</summary>
    static Command ApprovalCommand(string name, string description)
    {
        var id = new Argument<string>("wave");
        var reason = new Option<string>("--reason") { Description = "Why", Required = true };
        var c = new Command(name, description) { id, reason, InventoryOption, ConfigOption };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async s =>
                    {
                        var w =
                            name == "approve"
                                ? await s.ApproveAsync(
                                    parse.GetValue(id)!,
                                    RunCommand.Actor(),
                                    parse.GetValue(reason)!,
                                    ct
                                )
                                : await s.RevokeApprovalAsync(
                                    parse.GetValue(id)!,
                                    RunCommand.Actor(),
                                    parse.GetValue(reason)!,
                                    ct
                                );
                        Write(w);
                        var missing = await s.MissingApprovalsAsync(w, ct);
                        var (valid, required) = await s.ApprovalStatusAsync(w, ct);
                        Console.WriteLine(
                            missing.Count == 0
                                ? $"  approvals: {valid.Count} of {required} needed: approved"
                                : "  approvals: " + string.Join("; ", missing)
                        );
                        return 0;
                    }
                )
        );
        return c;
    }

    static Command StopCommand()
    {
        var id = new Argument<string>("wave");
        var reason = new Option<string>("--reason") { Description = "Why", Required = true };
        var c = new Command("stop", "Stop a running wave: no new cutover starts, those in flight finish or roll back")
        {
            id,
            reason,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async s =>
                    {
                        Write(await s.StopAsync(parse.GetValue(id)!, RunCommand.Actor(), parse.GetValue(reason)!, ct));
                        return 0;
                    }
                )
        );
        return c;
    }

    static Command ResumeCommand()
    {
        var id = new Argument<string>("wave");
        var c = new Command("resume", "Resume a stopped wave with the environments not started yet")
        {
            id,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async (s, services) =>
                    {
                        var wave = await s.Store.GetAsync(parse.GetValue(id)!, ct);
                        SettingsGate.Check(
                            services.GetRequiredService<IConfiguration>(),
                            s.Inventory.Select(wave.Environments)
                        );
                        Write(await s.ResumeAsync(wave.Id, RunCommand.Actor(), ct));
                        Console.WriteLine(HandedOver);
                        return 0;
                    }
                )
        );
        return c;
    }

    static Command ScheduleCommand(string name, string description)
    {
        var id = new Argument<string>("wave");
        var at = new Option<string>("--at") { Description = "Start time, UTC (ISO 8601)", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (required to reschedule)" };
        var overrideReason = new Option<string?>("--override-reason")
        {
            Description = "Go ahead despite the policy, for this recorded reason",
        };
        var c = new Command(name, description) { id, at, reason, overrideReason, InventoryOption, ConfigOption };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async s =>
                    {
                        var w = await s.ScheduleAsync(
                            parse.GetValue(id)!,
                            ParseTime(parse.GetValue(at)!),
                            RunCommand.Actor(),
                            parse.GetValue(reason),
                            parse.GetValue(overrideReason),
                            ct
                        );
                        Write(w);
                        return 0;
                    }
                )
        );
        return c;
    }

    static Command CancelCommand()
    {
        var id = new Argument<string>("wave");
        var reason = new Option<string>("--reason") { Description = "Why", Required = true };
        var c = new Command("cancel", "Cancel a wave (it never starts)") { id, reason, InventoryOption, ConfigOption };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async s =>
                    {
                        Write(
                            await s.CancelAsync(parse.GetValue(id)!, RunCommand.Actor(), parse.GetValue(reason)!, ct)
                        );
                        return 0;
                    }
                )
        );
        return c;
    }

    static Command NotifyCommand()
    {
        var id = new Argument<string>("wave");
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory for the rendered notices",
            DefaultValueFactory = _ => new DirectoryInfo("notices"),
        };
        var smtp = new Option<string?>("--smtp")
        {
            Description =
                $"Send through this SMTP relay, HOST:PORT (default setting {NoticeSmtpOptions.SectionName}:Relay; none: files only)",
        };
        var from = new Option<string?>("--from")
        {
            Description = $"Sender address (default setting {NoticeSmtpOptions.SectionName}:From)",
        };
        var c = new Command(
            "notify",
            "Render each customer's notice with its window to files, optionally send it through an SMTP relay, and record the notice time"
        )
        {
            id,
            output,
            smtp,
            from,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async (s, services) =>
                    {
                        var w = await s.Store.GetAsync(parse.GetValue(id)!, ct);
                        var options = services.GetRequiredService<NoticeSmtpOptions>();
                        if (parse.GetValue(from) is { } sender)
                            options.From = sender;
                        var relayText = parse.GetValue(smtp) ?? options.Relay;
                        var relay = relayText is null
                            ? null
                            : WaveNotices.ParseRelay(
                                relayText,
                                parse.GetValue(smtp) is null ? $"{NoticeSmtpOptions.SectionName}:Relay" : "--smtp"
                            );
                        var outcomes = await services
                            .GetRequiredService<WaveNotices>()
                            .NotifyAsync(w, parse.GetValue(output)!.FullName, relay, RunCommand.Actor(), ct);
                        foreach (var o in outcomes)
                        {
                            if (o.Error is null)
                                Console.WriteLine(
                                    $"{o.EnvironmentId}: {o.File}{(o.Relay is null ? "" : $", accepted by {o.Relay}")}; recorded"
                                );
                            else
                                Console.Error.WriteLine(
                                    $"{o.EnvironmentId}: NOT notified, nothing recorded: {o.Error}"
                                );
                        }
                        return outcomes.Any(o => o.Error is not null) ? 4 : 0;
                    }
                )
        );
        return c;
    }

    static Command MoveCommand()
    {
        var environment = new Argument<string>("environment");
        var to = new Option<string>("--to") { Description = "The wave it moves into", Required = true };
        var reason = new Option<string>("--reason") { Description = "The customer's reason", Required = true };
        var overrideReason = new Option<string?>("--override-reason")
        {
            Description = "Go ahead despite the notice policy for the new window, for this recorded reason",
        };
        var c = new Command(
            "move",
            "Take an environment out of its wave into another, at its customer's request; rechecks the notice policy and sends the superseding notice"
        )
        {
            environment,
            to,
            reason,
            overrideReason,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithServiceAsync(
                    parse,
                    async s =>
                    {
                        Write(
                            await s.MoveAsync(
                                parse.GetValue(environment)!,
                                parse.GetValue(to)!,
                                RunCommand.Actor(),
                                parse.GetValue(reason)!,
                                parse.GetValue(overrideReason),
                                ct
                            )
                        );
                        return 0;
                    }
                )
        );
        return c;
    }

    static void Write(Wave w) =>
        Console.WriteLine(
            $"{w.Id, -20} {WaveNames.Of(w.State), -10} planned {w.PlannedStart:u}  scheduled {(w.ScheduledFor is { } t ? t.ToString("u", CultureInfo.InvariantCulture) : "-"), -20} "
                + $"parallel {w.Parallel} order {WaveNames.Of(w.Order)} [{string.Join(", ", w.Environments)}]{(w.StateReason is null ? "" : " - " + w.StateReason)}"
        );
}
