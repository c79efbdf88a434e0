using System.Diagnostics;
using System.Text.Json;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// The engine runs as a real `cutover run` process against a sandbox in this test process; it is killed with
/// SIGKILL right after it paused sending, then started again: the cutover must finish from where it was,
/// with sending resumed and no change applied twice.
/// </summary>
public sealed class CrashRecoveryTests
{
    static string CutoverDll => Path.Combine(AppContext.BaseDirectory, "cutover.dll");

    static Process StartCutover(CutoverHarness h, string configFile, string inventoryFile, string environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = h.Directory,
        };
        foreach (
            var a in new[]
            {
                CutoverDll,
                "run",
                inventoryFile,
                "--environments",
                environment,
                "--config",
                configFile,
                "--output",
                "json",
            }
        )
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task A_cutover_killed_after_the_pause_finishes_after_a_restart_without_applying_anything_twice()
    {
        await using var h = await CutoverHarness.StartAsync();
        var configFile = h.WriteConfigFile();
        var inventoryFile = h.WriteInventoryFile();

        var sending = h.Sandbox.SendingControl.Environment("acme-stg");
        using (var first = StartCutover(h, configFile, inventoryFile, "acme-stg"))
        {
            await Eventually.TrueAsync(
                () => sending.Status().Paused || first.HasExited,
                TimeSpan.FromSeconds(60),
                () => "the first engine to pause sending"
            );
            Assert.True(
                sending.Status().Paused,
                "the first engine never paused sending: "
                    + (first.HasExited ? await first.StandardError.ReadToEndAsync() : "timeout")
            );
            first.Kill(entireProcessTree: true); // SIGKILL: no shutdown code runs
            await first.WaitForExitAsync();
        }
        Assert.True(sending.Status().Paused, "the lease, not the dead engine, holds the pause");

        using var second = StartCutover(h, configFile, inventoryFile, "acme-stg");
        var stdout = second.StandardOutput.ReadToEndAsync();
        var stderr = second.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            await second.WaitForExitAsync(timeout.Token);
        Assert.True(second.ExitCode == 0, await stderr + await stdout);
        var summary = JsonDocument.Parse(await stdout).RootElement.GetProperty("environments")[0];
        Assert.Equal("completed", summary.GetProperty("outcome").GetString());

        var status = sending.Status();
        Assert.False(status.Paused);
        var pause = Assert.Single(status.Pauses);
        Assert.Equal("api", pause.ResumedBy);
        var account = h.Sandbox.Topology.Accounts[0].Id;
        Assert.Equal(1, h.Sandbox.Metrics.For(account, "route53", "ChangeResourceRecordSets").Accepted);
        Assert.True(h.Sandbox.Metrics.For(account, "ec2", "AssociateAddress").Accepted <= 1);
        Assert.Equal("aws-acme-stg-mta1", h.Sandbox.World.OwnerOf(System.Net.IPAddress.Parse("127.20.1.11"))?.Id);
    }
}
