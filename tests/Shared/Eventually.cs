namespace CutoverEngine.Testing;

/// <summary>
/// The one way tests wait for a condition: poll it until a deadline, and at the deadline fail saying what was
/// awaited and what was last observed. Linked into each test project that waits (tests/Shared/Eventually.cs).
/// </summary>
public static class Eventually
{
    /// <summary>Between two looks: short against the seconds a deadline allows, long enough not to spin.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Polls <paramref name="observe"/> until <paramref name="done"/> holds for what it returns, and returns that;
    /// fails at <paramref name="timeout"/> naming <paramref name="what"/> and the last observation
    /// (<paramref name="describe"/>, else its ToString()).
    /// </summary>
    public static Task<T> UntilAsync<T>(
        Func<Task<T>> observe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        Func<T, string>? describe = null
    ) =>
        PollAsync(
            observe,
            done,
            timeout,
            last => $"{what}; last observed: {(describe is null ? last : describe(last))}"
        );

    /// <inheritdoc cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan, string, Func{T, string}?)"/>
    public static Task<T> UntilAsync<T>(
        Func<T> observe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        Func<T, string>? describe = null
    ) => UntilAsync(() => Task.FromResult(observe()), done, timeout, what, describe);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails at <paramref name="timeout"/> with
    /// <paramref name="describe"/>, which says what was awaited and the state observed at the deadline.
    /// </summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        PollAsync(() => Task.FromResult(condition()), held => held, timeout, _ => describe());

    /// <inheritdoc cref="TrueAsync(Func{bool}, TimeSpan, Func{string})"/>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe) =>
        PollAsync(condition, held => held, timeout, _ => describe());

    static async Task<T> PollAsync<T>(
        Func<Task<T>> observe,
        Func<T, bool> done,
        TimeSpan timeout,
        Func<T, string> awaited
    )
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var last = await observe();
            if (done(last))
                return last;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {awaited(last)}");
            await Task.Delay(PollInterval);
        }
    }
}
