using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Tests.Postfix;

/// <summary>One sink and one private Postfix relaying to it, shared by the tests of a class (they run one at a
/// time).</summary>
public sealed class PostfixFixture : IAsyncLifetime
{
    public SmtpSink Sink { get; private set; } = null!;
    public PostfixInstance Postfix { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink = new SmtpSink();
        Postfix = await PostfixInstance.StartAsync(Sink.Port);
        // Postfix's own retry times (5 min and more), so held mail that arrives soon after a resume was handed over
        // by the agent's flush, not by a short back-off coming due.
        await ProcessRunner.RunCheckedAsync(
            [
                Path.Combine(PostfixInstance.Commands, "postconf"),
                "-c",
                Postfix.ConfigDirectory,
                "-e",
                "minimal_backoff_time=300s",
                "maximal_backoff_time=4000s",
                "queue_run_delay=300s",
            ],
            TimeSpan.FromSeconds(60),
            default
        );
        await ProcessRunner.RunCheckedAsync(
            [Path.Combine(PostfixInstance.Commands, "postfix"), "-c", Postfix.ConfigDirectory, "reload"],
            TimeSpan.FromSeconds(60),
            default
        );
    }

    public async Task DisposeAsync()
    {
        await Postfix.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
