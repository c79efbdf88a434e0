using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Drivers;

/// <summary>
/// KumoMTA through its HTTP admin API: a pause is a scheduled-queue suspension (POST /api/admin/suspend/v1) whose
/// duration is the lease, so KumoMTA lifts it by itself even if the agent dies too; renewing replaces it with a fresh
/// one; resume cancels ours (DELETE with its id). The bounce API is never called: it discards mail.
/// </summary>
public sealed class KumoMtaDriver(KumoMtaSettings settings, HttpClient http) : IMtaDriver
{
    /// <summary>Every suspension this agent creates has a reason starting so; others are someone else's.</summary>
    public const string ReasonPrefix = "cutover-agent: ";
    const string SuspendPath = "api/admin/suspend/v1";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name => "kumomta";

    public async Task PauseAsync(TimeSpan lease, string reason, CancellationToken ct)
    {
        var before = await ListAsync(ct);
        var body = new SuspendRequest(
            settings.Domain,
            settings.Campaign,
            settings.Tenant,
            ReasonPrefix + reason,
            ((long)Math.Ceiling(lease.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s"
        );
        using (var response = await SendAsync(HttpMethod.Post, JsonContent.Create(body, options: Json), ct))
            await EnsureAsync(response, "POST", ct);
        // The new suspension is in force before the old ones go, so delivery never restarts in between.
        foreach (var old in before.Where(IsOurs))
            await CancelAsync(old.Id, ct);
    }

    public async Task ResumeAsync(CancellationToken ct)
    {
        foreach (var ours in (await ListAsync(ct)).Where(IsOurs))
            await CancelAsync(ours.Id, ct);
    }

    public async Task<MtaStatus> StatusAsync(CancellationToken ct)
    {
        var list = await ListAsync(ct);
        var foreign = list.Where(s => !IsOurs(s)).ToList();
        return new MtaStatus(list.Any(IsOurs), 0, 0, new Dictionary<string, long> { ["suspensions"] = list.Count })
        {
            ForeignPause =
                foreign.Count == 0
                    ? null
                    : $"{foreign.Count} suspension(s) not set by this agent: {string.Join("; ", foreign.Select(f => f.Reason))}",
            Detail = "KumoMTA's suspend list does not give a queue depth",
        };
    }

    bool IsOurs(SuspendEntry s) =>
        s.Reason.StartsWith(ReasonPrefix, StringComparison.Ordinal)
        && s.Domain == settings.Domain
        && s.Campaign == settings.Campaign
        && s.Tenant == settings.Tenant;

    async Task<List<SuspendEntry>> ListAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, null, ct);
        await EnsureAsync(response, "GET", ct);
        try
        {
            return await response.Content.ReadFromJsonAsync<List<SuspendEntry>>(Json, ct) ?? [];
        }
        catch (JsonException e)
        {
            throw new MtaDriverException(
                $"KumoMTA {Url}: GET: the suspend list is not the documented shape: {e.Message}"
            );
        }
    }

    async Task CancelAsync(string id, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, JsonContent.Create(new { id }, options: Json), ct);
        await EnsureAsync(response, "DELETE", ct);
    }

    Uri Url => new(settings.Url, SuspendPath);

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Url) { Content = content };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(settings.Timeout);
        try
        {
            return await http.SendAsync(request, limit.Token);
        }
        catch (HttpRequestException e)
        {
            throw new MtaDriverException($"KumoMTA {Url}: {method}: {e.Message}", e);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new MtaDriverException(
                $"KumoMTA {Url}: {method}: no answer within {settings.Timeout.TotalSeconds:0} s"
            );
        }
    }

    async Task EnsureAsync(HttpResponseMessage response, string method, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var text = await response.Content.ReadAsStringAsync(ct);
        throw new MtaDriverException(
            $"KumoMTA {Url}: {method}: HTTP {(int)response.StatusCode}: {(text.Length > 300 ? text[..300] : text)}"
        );
    }

    sealed record SuspendRequest(string? Domain, string? Campaign, string? Tenant, string Reason, string Duration);

    sealed record SuspendEntry(
        string Id,
        string Reason,
        string? Domain,
        string? Campaign,
        string? Tenant,
        string? Duration
    );
}
