using System.Globalization;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Reverts;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Server.Api;
using CutoverEngine.Server.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CutoverEngine.Server.Pages;

/// <summary>
/// The operator's forms on the pages: create, schedule, approve, start, stop, resume a wave, and revert an
/// environment or retry its stuck rollback, each a POST of a page session that must carry the antiforgery token of
/// its form, come from the role that may do it (else 403, changing nothing), and for production carry the typed
/// confirmation (<see cref="ProductionConfirmation"/>). Each calls the same <see cref="WaveService"/> (or <see
/// cref="RevertLauncher"/>) as the CLI and the API, so the policy, the approvals and the journal are theirs; the
/// caller is journaled as page:NAME, the same person as api:NAME. Success redirects (302, then a GET) to the
/// wave's (or the environment's) page; a refusal renders its reason (<see cref="Refusals"/>) with the status the
/// API would give.
/// </summary>
public static class OperatorPages
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var forms = app.MapGroup("").RequireAuthorization(PageSessions.PolicyName).ExcludeFromDescription();
        forms.MapPost(
            AuditorPages.WavesPath,
            (HttpContext http, IAntiforgery a, WaveService waves, Inventory inventory) =>
                ActAsync(
                    http,
                    a,
                    ApiRoles.Operator,
                    AuditorPages.WavesPath,
                    async (form, actor, ct) =>
                    {
                        var id = form["id"].ToString().Trim();
                        var environments = form["environments"]
                            .ToString()
                            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        var production = ProductionConfirmation.IsRequired(inventory.Select(environments));
                        RequireConfirmed(production, id, form);
                        var wave = await waves.CreateAsync(
                            id,
                            environments,
                            ParseTime(form["plannedStart"], "plannedStart"),
                            int.TryParse(form["parallel"], CultureInfo.InvariantCulture, out var p)
                                ? p
                                : throw new FormatException($"parallel '{form["parallel"]}' is not a whole number"),
                            WaveNames.ParseOrder(form["order"].ToString() is { Length: > 0 } o ? o : "tier"),
                            actor,
                            ct
                        );
                        return AuditorPages.PathTo(AuditorPages.WavesPath, wave.Id);
                    }
                )
        );
        MapWaveForm(
            forms,
            "schedule",
            ApiRoles.Operator,
            (w, form, actor, ct) =>
                w.ScheduleAsync(
                    form.Id,
                    ParseTime(form.Fields["at"], "at"),
                    actor,
                    Optional(form.Fields["reason"]),
                    Optional(form.Fields["overrideReason"]),
                    ct
                )
        );
        MapWaveForm(
            forms,
            "approve",
            ApiRoles.Approver,
            (w, form, actor, ct) => w.ApproveAsync(form.Id, actor, form.Fields["reason"].ToString(), ct)
        );
        MapWaveForm(
            forms,
            "start",
            ApiRoles.Operator,
            (w, form, actor, ct) => w.StartNowAsync(form.Id, actor, Optional(form.Fields["overrideReason"]), ct)
        );
        MapWaveForm(
            forms,
            "stop",
            ApiRoles.Operator,
            (w, form, actor, ct) => w.StopAsync(form.Id, actor, form.Fields["reason"].ToString(), ct)
        );
        MapWaveForm(forms, "resume", ApiRoles.Operator, (w, form, actor, ct) => w.ResumeAsync(form.Id, actor, ct));
        forms.MapPost(
            AuditorPages.EnvironmentsPath + "/{id}/revert",
            (string id, HttpContext http, IAntiforgery a, Inventory inventory, RevertLauncher reverts) =>
                ActAsync(
                    http,
                    a,
                    ApiRoles.Operator,
                    AuditorPages.PathTo(AuditorPages.EnvironmentsPath, id),
                    async (form, actor, ct) =>
                    {
                        var environment =
                            inventory.FindEnvironment(id)
                            ?? throw new KeyNotFoundException($"No environment '{id}' in the inventory.");
                        RequireConfirmed(environment.Tier == Tier.Production, id, form);
                        if (string.IsNullOrWhiteSpace(form["reason"]))
                            throw new ArgumentException(
                                $"A revert of {id} needs a reason: it is journaled with who asked."
                            );
                        await reverts.StartAsync(id, form["reason"].ToString(), actor, ct);
                        return AuditorPages.PathTo(AuditorPages.EnvironmentsPath, id);
                    }
                )
        );
        MapRetry(forms);
    }

    static void MapRetry(RouteGroupBuilder forms) =>
        forms.MapPost(
            AuditorPages.EnvironmentsPath + "/{id}/retry",
            (string id, HttpContext http, IAntiforgery a, Inventory inventory, RollbackRetry retries) =>
                ActAsync(
                    http,
                    a,
                    ApiRoles.Operator,
                    AuditorPages.PathTo(AuditorPages.EnvironmentsPath, id),
                    async (form, actor, ct) =>
                    {
                        var environment =
                            inventory.FindEnvironment(id)
                            ?? throw new KeyNotFoundException($"No environment '{id}' in the inventory.");
                        RequireConfirmed(environment.Tier == Tier.Production, id, form);
                        await retries.RequestAsync(id, Optional(form["reason"]), actor, ct);
                        return AuditorPages.PathTo(AuditorPages.EnvironmentsPath, id);
                    }
                )
        );

    /// <summary>A form of one wave: the id from the path, its fields.</summary>
    sealed record WaveForm(string Id, IFormCollection Fields);

    /// <param name="role">Who may: operator; approver means operator or approver.</param>
    static void MapWaveForm(
        RouteGroupBuilder forms,
        string action,
        string role,
        Func<WaveService, WaveForm, string, CancellationToken, Task<Wave>> change
    ) =>
        forms.MapPost(
            AuditorPages.WavesPath + "/{id}/" + action,
            (string id, HttpContext http, IAntiforgery a, WaveService waves, Inventory inventory) =>
                ActAsync(
                    http,
                    a,
                    role,
                    AuditorPages.PathTo(AuditorPages.WavesPath, id),
                    async (form, actor, ct) =>
                    {
                        var wave = await waves.Store.GetAsync(id, ct);
                        RequireConfirmed(
                            ProductionConfirmation.IsRequired(inventory.Select(wave.Environments)),
                            id,
                            form
                        );
                        await change(waves, new WaveForm(id, form), actor, ct);
                        return AuditorPages.PathTo(AuditorPages.WavesPath, id);
                    }
                )
        );

    /// <summary>The checks every form passes before it changes anything: the form's token, the role, then the
    /// change; its refusal as a page.</summary>
    static async Task<IResult> ActAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        string role,
        string back,
        Func<IFormCollection, string, CancellationToken, Task<string>> change
    )
    {
        var ct = http.RequestAborted;
        var viewer = AuditorPages.Viewer(http, antiforgery);
        async Task<IResult> Refuse(string message, int status) =>
            new HtmlPage(await ActionRefusedPage.RenderAsync(viewer, message, back), status);

        if (!http.Request.HasFormContentType)
            return await Refuse("The action expects a form post.", StatusCodes.Status415UnsupportedMediaType);
        if (!await antiforgery.IsRequestValidAsync(http))
            return await Refuse(
                "The form had expired or did not come from this site. Nothing was changed; reload the page.",
                StatusCodes.Status400BadRequest
            );
        var allowed =
            role == ApiRoles.Approver
                ? http.User.IsInRole(ApiRoles.Operator) || http.User.IsInRole(ApiRoles.Approver)
                : http.User.IsInRole(role);
        if (!allowed)
            return await Refuse(
                $"{viewer.Name} ({viewer.Role}) may not do this: it needs the {role} role. Nothing was changed.",
                StatusCodes.Status403Forbidden
            );
        var form = await http.Request.ReadFormAsync(ct);
        try
        {
            return Results.Redirect(
                await change(form, $"page:{viewer.Name}", ct),
                permanent: false,
                preserveMethod: false
            );
        }
        catch (Exception e) when (Refusals.Of(e) is { } refusal)
        {
            return await Refuse(e.Message, refusal.Status);
        }
    }

    static void RequireConfirmed(bool production, string id, IFormCollection form)
    {
        if (ProductionConfirmation.Refusal(production, id, form[ProductionConfirmation.FieldName]) is { } refusal)
            throw new ArgumentException(refusal);
    }

    static DateTimeOffset ParseTime(Microsoft.Extensions.Primitives.StringValues text, string field) =>
        DateTimeOffset.TryParse(
            text.ToString(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var at
        )
            ? at
            : throw new FormatException($"{field} '{text}' is not a time (UTC, ISO 8601, e.g. 2026-12-24T02:00:00Z)");

    static string? Optional(Microsoft.Extensions.Primitives.StringValues text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.ToString();
}
