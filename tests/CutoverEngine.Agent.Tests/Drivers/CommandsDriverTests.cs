using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Tests.Drivers;

public sealed class CommandsDriverTests : IDisposable
{
    readonly ScriptedCommands _commands = new();

    [Fact]
    public async Task Arguments_reach_the_program_unsplit_and_unexpanded_by_any_shell()
    {
        var stop = _commands.Write("nlserver", "");
        var driver = new CommandsDriver(
            new CommandsSettings(
                [stop, "stop", "mta@acme prod; rm -rf /", "$HOME", "{leaseSeconds}"],
                [stop, "start"],
                [stop]
            )
        );
        await driver.PauseAsync(TimeSpan.FromSeconds(90), "c", default);
        Assert.Equal("nlserver stop mta@acme prod; rm -rf / $HOME 90", Assert.Single(_commands.Calls));
    }

    [Fact]
    public async Task Status_is_read_from_the_json_the_command_prints()
    {
        var status = _commands.Write(
            "status",
            """echo '{"paused": true, "queueDepth": 42, "counters": {"sent": 7}}'"""
        );
        var driver = new CommandsDriver(new CommandsSettings([status], [status], [status]));
        var s = await driver.StatusAsync(default);
        Assert.True(s.Paused);
        Assert.Equal(42, s.QueueDepth);
        Assert.Equal(7, s.Counters["sent"]);
    }

    [Fact]
    public async Task A_failing_command_is_an_error_carrying_its_stderr()
    {
        var fail = _commands.Write("ec_console", "echo 'Suspend_Delivery: permission denied' >&2; exit 3");
        var driver = new CommandsDriver(new CommandsSettings([fail], [fail], [fail]));
        var e = await Assert.ThrowsAsync<MtaDriverException>(() => driver.ResumeAsync(default));
        Assert.Contains("exit code 3", e.Message);
        Assert.Contains("permission denied", e.Message);
    }

    [Fact]
    public async Task A_command_over_its_timeout_is_killed_and_reported()
    {
        var slow = _commands.Write("slow", "sleep 30");
        var driver = new CommandsDriver(
            new CommandsSettings([slow], [slow], [slow]) { Timeout = TimeSpan.FromSeconds(1) }
        );
        var e = await Assert.ThrowsAsync<MtaDriverException>(() => driver.ResumeAsync(default));
        Assert.Contains("no answer within 1 s", e.Message);
    }

    public void Dispose() => _commands.Dispose();
}
