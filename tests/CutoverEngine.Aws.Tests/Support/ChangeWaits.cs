using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Aws.Tests.Support;

/// <summary>Follows a submitted change to INSYNC by GetChange, as the engine's AwaitDnsInsync step does.</summary>
public static class ChangeWaits
{
    /// <summary>Polls until the change is INSYNC; fails at <paramref name="deadline"/> naming its status.</summary>
    public static async Task<ChangeInfo> InSyncAsync(
        this IRoute53Gateway route53,
        string account,
        ChangeInfo change,
        TimeSpan deadline
    )
    {
        var id = change.Id ?? throw new ArgumentException("The change has no id (nothing was sent).", nameof(change));
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var current = await route53.GetChangeAsync(account, id);
            if (current.Status == ChangeStatus.InSync)
                return current;
            if (TimeProvider.System.GetElapsedTime(started) > deadline)
                Assert.Fail($"change {id} was still {current.Status} after {deadline.TotalSeconds:0.#} s");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
