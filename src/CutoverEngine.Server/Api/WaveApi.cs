using System.Security.Claims;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Finalisation;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Reverts;
using CutoverEngine.Engine.Waves;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CutoverEngine.Server.Api;

public sealed record CreateWaveRequest(
    string Id,
    IReadOnlyList<string> Environments,
    DateTimeOffset PlannedStart,
    int Parallel = 1,
    string Order = "tier"
);

public sealed record ScheduleRequest(DateTimeOffset At, string? Reason = null, string? OverrideReason = null);

public sealed record StartRequest(string? OverrideReason = null, bool DropUnready = false);

public sealed record ReasonRequest(string Reason);

/// <summary>A stuck rollback's retry; the reason is optional and journaled with who asked.</summary>
public sealed record RetryRequest(string? Reason = null);

public sealed record FinaliseRequest(string? EarlyReason = null);

public sealed record MoveRequest(string To, string Reason, string? OverrideReason = null);

public sealed record WaveView(
    string Id,
    string State,
    IReadOnlyList<string> Environments,
    DateTimeOffset PlannedStart,
    DateTimeOffset? ScheduledFor,
    int Parallel,
    string Order,
    string? StateReason,
    IReadOnlyList<WaveCutoverView> Cutovers,
    WaveApprovalsView Approvals
);

/// <summary>The approvals that count for the wave as it stands, how many it needs, and what is missing.</summary>
public sealed record WaveApprovalsView(
    int Required,
    IReadOnlyList<WaveApprovalView> Valid,
    IReadOnlyList<string> Missing
);

public sealed record WaveApprovalView(string Person, string Approver, string Reason, DateTimeOffset At);

public sealed record WaveCutoverView(string Environment, string? InstanceId, string? Outcome);

/// <summary>The HTTP API under /api/: JSON; reading needs any key, changing needs an operator key, approving an
/// operator or approver key; callers are journaled as api:NAME.</summary>
public static class WaveApi
{
    public const string ReadPolicy = "read";
    public const string OperatorPolicy = "operator";
    public const string ApprovePolicy = "approve";

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ReadPolicy);
        var waves = api.MapGroup("/waves");
        waves.MapGet(
            "/",
            async (WaveService s, CancellationToken ct) =>
                Results.Ok(await Task.WhenAll((await s.Store.ListAsync(null, ct)).Select(w => ViewAsync(s, w, ct))))
        );
        waves.MapGet(
            "/{id}",
            (string id, WaveService s, CancellationToken ct) =>
                Run(async () => Results.Ok(await ViewAsync(s, await s.Store.GetAsync(id, ct), ct)))
        );
        waves
            .MapPost(
                "/",
                (CreateWaveRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Run(async () =>
                    {
                        var w = await s.CreateAsync(
                            r.Id,
                            r.Environments,
                            r.PlannedStart,
                            r.Parallel,
                            WaveNames.ParseOrder(r.Order),
                            Actor(u),
                            ct
                        );
                        return Results.Created($"/api/waves/{w.Id}", await ViewAsync(s, w, ct));
                    })
            )
            .RequireAuthorization(OperatorPolicy);
        waves
            .MapPost(
                "/{id}/schedule",
                (string id, ScheduleRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.ScheduleAsync(id, r.At, Actor(u), r.Reason, r.OverrideReason, ct), ct)
            )
            .RequireAuthorization(OperatorPolicy);
        waves
            .MapPost(
                "/{id}/start",
                (string id, StartRequest? r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(
                        s,
                        async () =>
                        {
                            if (r?.DropUnready == true)
                                await s.DropUnreadyAsync(id, Actor(u), ct);
                            return await s.StartNowAsync(id, Actor(u), r?.OverrideReason, ct);
                        },
                        ct
                    )
            )
            .RequireAuthorization(OperatorPolicy);
        waves
            .MapPost(
                "/{id}/approvals",
                (string id, ReasonRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.ApproveAsync(id, Actor(u), r.Reason, ct), ct)
            )
            .RequireAuthorization(ApprovePolicy);
        waves
            .MapPost(
                "/{id}/approvals/revoke",
                (string id, ReasonRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.RevokeApprovalAsync(id, Actor(u), r.Reason, ct), ct)
            )
            .RequireAuthorization(ApprovePolicy);
        waves
            .MapPost(
                "/{id}/prepare",
                (string id, WavePreparation p, ClaimsPrincipal u, CancellationToken ct) =>
                    Run(async () =>
                    {
                        var started = await p.PrepareNowAsync(id, Actor(u), ct);
                        return Results.Accepted(
                            $"/api/waves/{id}/prepare",
                            started.Select(x => new { environment = x.Environment, workflow = x.Instance })
                        );
                    })
            )
            .RequireAuthorization(OperatorPolicy);
        waves
            .MapPost(
                "/{id}/finalise",
                (string id, FinaliseRequest? r, WaveFinalisation f, ClaimsPrincipal u, CancellationToken ct) =>
                    Run(async () =>
                    {
                        // Synchronous: serve is the engine, and finalise is a few conditional zone writes per
                        // environment.
                        var results = await f.FinaliseAsync(id, Actor(u), r?.EarlyReason, ct);
                        return Results.Ok(
                            results.Select(x => new
                            {
                                environment = x.EnvironmentId,
                                verdict = FinaliseNames.Of(x.Verdict),
                                why = x.Why,
                                dueAt = x.DueAt,
                            })
                        );
                    })
            )
            .RequireAuthorization(OperatorPolicy);
        waves.MapGet(
            "/{id}/prepare",
            (string id, WaveService s, WavePreparation p, CancellationToken ct) =>
                Run(async () =>
                {
                    var wave = await s.Store.GetAsync(id, ct);
                    var states = new List<PrepareState>();
                    foreach (var environment in wave.Environments)
                        states.Add(await p.StateAsync(environment, ct));
                    return Results.Ok(states);
                })
        );
        waves
            .MapPost(
                "/{id}/stop",
                (string id, ReasonRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.StopAsync(id, Actor(u), r.Reason, ct), ct)
            )
            .RequireAuthorization(OperatorPolicy);
        waves
            .MapPost(
                "/{id}/resume",
                (string id, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.ResumeAsync(id, Actor(u), ct), ct)
            )
            .RequireAuthorization(OperatorPolicy);
        waves
            .MapPost(
                "/{id}/cancel",
                (string id, ReasonRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.CancelAsync(id, Actor(u), r.Reason, ct), ct)
            )
            .RequireAuthorization(OperatorPolicy);

        var environments = api.MapGroup("/environments");
        environments.MapGet(
            "/",
            (Inventory inventory) =>
                Results.Ok(
                    inventory.Environments.Select(e => new
                    {
                        e.Id,
                        e.Customer,
                        tier = e.Tier.ToWireName(),
                    })
                )
        );
        environments.MapGet(
            "/{id}",
            (string id, Inventory inventory, CutoverLauncher launcher, CancellationToken ct) =>
                Run(async () =>
                {
                    var environment =
                        inventory.FindEnvironment(id)
                        ?? throw new KeyNotFoundException($"No environment '{id}' in the inventory.");
                    var inFlight = await launcher.FindInFlightAsync(id, ct);
                    return Results.Ok(
                        new
                        {
                            environment.Id,
                            environment.Customer,
                            tier = environment.Tier.ToWireName(),
                            inFlight = inFlight?.Id,
                        }
                    );
                })
        );
        environments
            .MapPost(
                "/{id}/move",
                (string id, MoveRequest r, WaveService s, ClaimsPrincipal u, CancellationToken ct) =>
                    Change(s, () => s.MoveAsync(id, r.To, Actor(u), r.Reason, r.OverrideReason, ct), ct)
            )
            .RequireAuthorization(OperatorPolicy);
        environments
            .MapPost(
                "/{id}/revert",
                (
                    string id,
                    ReasonRequest? r,
                    Inventory inventory,
                    RevertLauncher reverts,
                    ClaimsPrincipal u,
                    CancellationToken ct
                ) =>
                    Run(async () =>
                    {
                        if (inventory.FindEnvironment(id) is null)
                            throw new KeyNotFoundException($"No environment '{id}' in the inventory.");
                        if (string.IsNullOrWhiteSpace(r?.Reason))
                            throw new ArgumentException(
                                $"A revert of {id} needs a reason ({{\"reason\": \"...\"}}): it is journaled with who asked."
                            );
                        var instance = await reverts.StartAsync(id, r?.Reason ?? "", Actor(u), ct);
                        // 202: the revert is a workflow of its own; GET /api/environments/{id} shows it in flight.
                        return Results.Accepted(
                            $"/api/environments/{id}",
                            new { environment = id, workflow = instance }
                        );
                    })
            )
            .RequireAuthorization(OperatorPolicy);
        environments
            .MapPost(
                "/{id}/retry",
                (
                    string id,
                    RetryRequest? r,
                    Inventory inventory,
                    RollbackRetry retries,
                    ClaimsPrincipal u,
                    CancellationToken ct
                ) =>
                    Run(async () =>
                    {
                        if (inventory.FindEnvironment(id) is null)
                            throw new KeyNotFoundException($"No environment '{id}' in the inventory.");
                        var request = await retries.RequestAsync(id, r?.Reason, Actor(u), ct);
                        // 202: the engine holding the pause runs the step at its next look; the journal tells the end.
                        return Results.Accepted(
                            $"/api/environments/{id}",
                            new
                            {
                                environment = id,
                                workflow = request.WorkflowInstance,
                                step = request.Step,
                                journalSequence = request.Sequence,
                            }
                        );
                    })
            )
            .RequireAuthorization(OperatorPolicy);
        environments.MapGet(
            "/{id}/history",
            (string id, WaveService s, CutoverLauncher launcher, CancellationToken ct) =>
                Run(async () =>
                {
                    var rows = new List<object>();
                    foreach (var wave in await s.Store.ListAsync(null, ct))
                        if ((await s.Store.CutoversAsync(wave.Id, ct)).TryGetValue(id, out var c))
                            rows.Add(
                                new
                                {
                                    wave = wave.Id,
                                    instanceId = c.InstanceId,
                                    outcome = c.Outcome,
                                }
                            );
                    return Results.Ok(rows);
                })
        );

        api.MapGet(
            "/reports/waves/{id}",
            (string id, WaveService s, CutoverLauncher launcher, CancellationToken ct) =>
                Run(async () =>
                {
                    var wave = await s.Store.GetAsync(id, ct);
                    var cutovers = await s.Store.CutoversAsync(id, ct);
                    var summaries = new List<object>();
                    foreach (var (env, c) in cutovers)
                    {
                        var summary = await launcher.ReadAsync(c.InstanceId, ct);
                        summaries.Add(
                            new
                            {
                                environment = env,
                                outcome = summary.Outcome,
                                status = summary.Status,
                                downtimeSeconds = summary.Downtime.DowntimeSeconds,
                                sendingGapSeconds = summary.Downtime.SendingGapSeconds,
                                rollbackCause = summary.RollbackCause,
                            }
                        );
                    }
                    return Results.Ok(
                        new
                        {
                            wave = id,
                            state = WaveNames.Of(wave.State),
                            cutovers = summaries,
                        }
                    );
                })
        );
    }

    static string Actor(ClaimsPrincipal user) => $"api:{user.Identity?.Name}";

    static Task<IResult> Change(WaveService s, Func<Task<Wave>> operation, CancellationToken ct) =>
        Run(async () => Results.Ok(await ViewAsync(s, await operation(), ct)));

    /// <summary>Domain errors as problem details (<see cref="Refusals"/>: the same classes the pages show).</summary>
    static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (Refusals.Of(e) is { } refusal)
        {
            return Results.Problem(
                e.Message,
                statusCode: refusal.Status,
                title: refusal.Title,
                extensions: refusal.Extensions
            );
        }
    }

    static async Task<WaveView> ViewAsync(WaveService s, Wave w, CancellationToken ct)
    {
        var cutovers = await s.Store.CutoversAsync(w.Id, ct);
        var (valid, required) = await s.ApprovalStatusAsync(w, ct);
        return new WaveView(
            w.Id,
            WaveNames.Of(w.State),
            w.Environments,
            w.PlannedStart,
            w.ScheduledFor,
            w.Parallel,
            WaveNames.Of(w.Order),
            w.StateReason,
            [
                .. w.Environments.Select(e =>
                    cutovers.TryGetValue(e, out var c)
                        ? new WaveCutoverView(e, c.InstanceId, c.Outcome)
                        : new WaveCutoverView(e, null, null)
                ),
            ],
            new WaveApprovalsView(
                required,
                [.. valid.Select(a => new WaveApprovalView(a.Person, a.Approver, a.Reason, a.At))],
                await s.MissingApprovalsAsync(w, ct)
            )
        );
    }
}
