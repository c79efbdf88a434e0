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
    }

    public async Task DisposeAsync()
    {
        await Postfix.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
