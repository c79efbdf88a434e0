namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>One running sandbox on the system clock, shared by tests that only read DNS.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await DnsTestWorld.StartAsync();

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}
