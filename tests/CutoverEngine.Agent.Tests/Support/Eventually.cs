namespace CutoverEngine.Agent.Tests.Support;

/// <summary>Polls a condition until a deadline; fails at the deadline saying what it last observed.</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(
        Func<Task<T>> observe,
        Func<T, bool> condition,
        TimeSpan within,
        string what
    )
    {
        var deadline = DateTime.UtcNow + within;
        T last;
        while (true)
        {
            last = await observe();
            if (condition(last))
                return last;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException(
                    $"{what}: not true within {within.TotalSeconds:0.#} s; last saw {Describe(last)}"
                );
            await Task.Delay(100);
        }
    }

    public static Task<T> HoldsAsync<T>(Func<T> observe, Func<T, bool> condition, TimeSpan within, string what) =>
        HoldsAsync(() => Task.FromResult(observe()), condition, within, what);

    static string Describe<T>(T value) =>
        value switch
        {
            System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>()) + "]",
            _ => value?.ToString() ?? "null",
        };
}
