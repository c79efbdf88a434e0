using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Support;

/// <summary>Small worlds for tests, made by the same generator as the shipped default topology.</summary>
public static class SandboxWorlds
{
    public static SandboxTopology Generated(
        int environments = 6,
        Action<TopologySettings>? settings = null,
        bool designedFailures = false
    )
    {
        var s = new TopologySettings();
        settings?.Invoke(s);
        return TopologyGenerator.Generate(
            new TopologyGeneratorOptions
            {
                Environments = environments,
                DesignedFailures = designedFailures,
                Settings = s,
            }
        );
    }

    public static Task<SandboxHost> StartAsync(
        SandboxTopology topology,
        TimeProvider? clock = null,
        double faultRate = 0
    ) =>
        SandboxHost.StartAsync(
            topology,
            new SandboxRunOptions
            {
                SmtpPort = 0,
                GenerateMail = false,
                Clock = clock ?? TimeProvider.System,
                FaultRate = faultRate,
            }
        );
}
