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

    static Process StartCutover(CutoverHarness h, string configFile, string inventoryFile, string environment) =>
        StartCli(h, "run", inventoryFile, "--environments", environment, "--config", configFile, "--output", "json");

    static Process StartRevert(CutoverHarness h, string configFile, string environment) =>
        StartCli(h, "revert", environment, "--reason", "kill test: the way back", "--config", configFile);

    static Process StartCli(CutoverHarness h, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = h.Directory,
        };
        psi.ArgumentList.Add(CutoverDll);
        foreach (var a in args)
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

    [Fact]
    public async Task A_revert_killed_inside_its_pause_finishes_after_a_restart_without_applying_anything_twice()
    {
        await using var h = await CutoverHarness.StartAsync();
        var configFile = h.WriteConfigFile();
        var inventoryFile = h.WriteInventoryFile();
        var sending = h.Sandbox.SendingControl.Environment("acme-stg");
        using (var cutover = StartCutover(h, configFile, inventoryFile, "acme-stg"))
        {
            var stderr = cutover.StandardError.ReadToEndAsync();
            var stdout = cutover.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await cutover.WaitForExitAsync(timeout.Token);
            Assert.True(cutover.ExitCode == 0, await stderr + await stdout);
        }
        var account = h.Sandbox.Topology.Accounts[0].Id;
        var changesBefore = h.Sandbox.Metrics.For(account, "route53", "ChangeResourceRecordSets").Accepted;

        using (var first = StartRevert(h, configFile, "acme-stg"))
        {
            await Eventually.TrueAsync(
                () => sending.Status() is { Paused: true, Pauses.Count: 2 } || first.HasExited,
                TimeSpan.FromSeconds(60),
                () => "the first revert to pause sending"
            );
            Assert.True(
                sending.Status().Paused,
                "the first revert never paused sending: "
                    + (first.HasExited ? await first.StandardError.ReadToEndAsync() : "timeout")
            );
            first.Kill(entireProcessTree: true); // SIGKILL inside the revert's pause
            await first.WaitForExitAsync();
        }

        using var second = StartRevert(h, configFile, "acme-stg");
        var output = second.StandardOutput.ReadToEndAsync();
        var errors = second.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            await second.WaitForExitAsync(timeout.Token);
        Assert.True(second.ExitCode == 0, await errors + await output);
        Assert.Contains("acme-stg: revert completed", await output, StringComparison.Ordinal);

        // One pause for the cutover, one for the revert: the restart adopted the revert in flight, paused nothing
        // again, and wrote the records back once.
        var status = sending.Status();
        Assert.False(status.Paused);
        Assert.Equal(2, status.Pauses.Count);
        Assert.Equal(changesBefore + 1, h.Sandbox.Metrics.For(account, "route53", "ChangeResourceRecordSets").Accepted);
        Assert.Equal("dc-acme-stg-mta1", h.Sandbox.World.OwnerOf(System.Net.IPAddress.Parse("127.10.1.11"))?.Id);
        Assert.Null(h.Sandbox.World.OwnerOf(System.Net.IPAddress.Parse("127.20.1.11")));
        Assert.Equal(status.Pauses.Count, status.Pauses.Count(p => p.ResumedAt is not null));
    }
}
