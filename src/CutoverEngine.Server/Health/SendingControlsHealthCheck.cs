using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Sending.SendingControl;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CutoverEngine.Server.Health;

/// <summary>
/// Ready only while the sending control (or agent) of every environment of a running wave answers its status: a
/// wave whose customers cannot be paused or resumed is not one this engine can carry. No running wave: ready.
/// </summary>
public sealed class SendingControlsHealthCheck(WaveStore waves, Inventory inventory, ISendingControl sending)
    : IHealthCheck
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    )
    {
        var environments = (await waves.ListAsync(WaveState.Running, cancellationToken))
            .SelectMany(w => w.Environments)
            .Distinct(StringComparer.Ordinal)
            .Select(inventory.FindEnvironment)
            .OfType<CutoverEnvironment>()
            .ToList();
        if (environments.Count == 0)
            return HealthCheckResult.Healthy("no running wave");
        var problems = (await Task.WhenAll(environments.Select(e => ProbeAsync(e, cancellationToken))))
            .OfType<string>()
            .ToList();
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{environments.Count} sending control(s) of running waves answer")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }

    async Task<string?> ProbeAsync(CutoverEnvironment environment, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await sending.GetStatusAsync(CutoverSubject.ControlAddress(environment), timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"sending control of {environment.Id} did not answer within {Timeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is SendingControlException or HttpRequestException or InvalidOperationException)
        {
            return $"sending control of {environment.Id} unreachable: {e.Message}";
        }
    }
}
