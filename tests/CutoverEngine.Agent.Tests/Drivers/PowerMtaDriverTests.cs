using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Tests.Drivers;

/// <summary>
/// PowerMTA's driver against a fake pmta (PowerMTA is commercial): a script that keeps a paused flag and prints a
/// show-queues table in the column layout third-party descriptions give (queue, recipients, ..., paused).
/// </summary>
public sealed class PowerMtaDriverTests : IDisposable
{
    readonly ScriptedCommands _commands = new();
    readonly PowerMtaDriver _driver;

    public PowerMtaDriverTests()
    {
        var flag = Path.Combine(_commands.Directory, "paused");
        var pmta = _commands.Write(
            "pmta",
            $$"""
            case "$1" in
              pause) echo yes > '{{flag}}' ;;
              resume) rm -f '{{flag}}' ;;
              show)
                p=no; [ -f '{{flag}}' ] && p=yes
                echo "Queue                          Rcpt  Size(kB)  Conn  Paused  Mode"
                echo "gmail.com/vmta-acme-1            12     120.5     0  $p     normal"
                echo "yahoo.com/vmta-acme-1             5      40.0     0  $p     normal" ;;
            esac
            """
        );
        _driver = new PowerMtaDriver(new PowerMtaSettings { Command = pmta, Queue = "*/vmta-acme-1" });
    }

    [Fact]
    public async Task Pause_and_resume_pass_the_configured_queue_pattern_as_one_argument()
    {
        await _driver.PauseAsync(TimeSpan.FromMinutes(5), "c", default);
        await _driver.ResumeAsync(default);
        Assert.Equal(["pmta pause queue */vmta-acme-1", "pmta resume queue */vmta-acme-1"], _commands.Calls);
    }

    [Fact]
    public async Task Status_sums_recipients_and_reads_the_paused_column_back()
    {
        Assert.False((await _driver.StatusAsync(default)).Paused);
        await _driver.PauseAsync(TimeSpan.FromMinutes(5), "c", default);
        var status = await _driver.StatusAsync(default);
        Assert.True(status.Paused);
        Assert.Equal(12 + 5, status.QueueDepth);
        Assert.Equal(2, status.Counters["queues"]);
    }

    [Fact]
    public void Output_without_the_expected_columns_is_a_driver_error()
    {
        var e = Assert.Throws<MtaDriverException>(() => PowerMtaDriver.Parse("pmta: cannot connect to 127.0.0.1:1983"));
        Assert.Contains("cannot connect", e.Message);
    }

    public void Dispose() => _commands.Dispose();
}
