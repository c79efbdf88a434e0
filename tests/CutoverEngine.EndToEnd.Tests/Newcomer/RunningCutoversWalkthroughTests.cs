using System.Text.RegularExpressions;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Newcomer;

/// <summary>
/// README's "Running cutovers" as a newcomer follows it: every `cutover` line of its shell blocks, in order, as a
/// process in a fresh directory holding what a clone brings, on the default ports. `cutover sandbox` and
/// `cutover serve` stay up in the background (terminals 1 and 2); every other command must exit 0 without a stack
/// trace. The wave started through the CLI must then complete in serve.
/// </summary>
public sealed partial class RunningCutoversWalkthroughTests
{
    static readonly TimeSpan Startup = TimeSpan.FromSeconds(120);

    /// <summary>The command lines of the section's ```sh blocks, in order.</summary>
    public static IReadOnlyList<string> SectionCommands()
    {
        var readme = File.ReadAllText(Path.Combine(CutoverProcess.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("\n## Running cutovers\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no section 'Running cutovers'");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return
        [
            .. ShellBlock()
                .Matches(section)
                .SelectMany(m => m.Groups[1].Value.Split('\n'))
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("cutover ", StringComparison.Ordinal)),
        ];
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [Fact]
    public async Task Every_command_of_the_walkthrough_works_as_written_from_a_clean_checkout()
    {
        var commands = SectionCommands();
        Assert.Contains(commands, c => c.StartsWith("cutover sandbox", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("cutover wave start", StringComparison.Ordinal));
        var dir = CutoverProcess.CleanCheckout();
        var background = new List<CutoverProcess>();
        string? startedWave = null;
        try
        {
            foreach (var line in commands)
            {
                var args = CutoverProcess.Words(line).Skip(1).ToList();
                if (args[0] == "sandbox" && args.ElementAtOrDefault(1) != "generate")
                {
                    var sandbox = CutoverProcess.Start(dir, args);
                    background.Add(sandbox);
                    await sandbox.WaitForOutputAsync("Press Ctrl+C to stop.", Startup);
                    Assert.True(File.Exists(Path.Combine(dir, "sandbox.settings.json")), sandbox.Stdout);
                    continue;
                }
                if (args[0] == "serve")
                {
                    var serve = CutoverProcess.Start(dir, args);
                    background.Add(serve);
                    await serve.WaitForOutputAsync("Listening on", Startup);
                    continue;
                }
                var (code, stdout, stderr) = await CutoverProcess.RunAsync(dir, args);
                Assert.True(code == 0, $"`{line}` exited {code}:\n{stdout}\n{stderr}");
                Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
                if (args[0] == "wave" && args[1] == "start")
                    startedWave = args[2];
            }
            Assert.NotNull(startedWave);
            // serve picked the CLI's start up and runs it: the wave completes (what `wave show` then says).
            await Eventually.UntilAsync(
                async () =>
                    (
                        await CutoverProcess.RunAsync(
                            dir,
                            ["wave", "show", startedWave, "--config", "sandbox.settings.json"]
                        )
                    ).Stdout,
                // The wave's own line (its id, then its state), not an environment's row that completed first.
                stdout =>
                    stdout.StartsWith($"{startedWave} ", StringComparison.Ordinal)
                    && stdout.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)
                        == "completed",
                TimeSpan.FromMinutes(3),
                $"wave {startedWave} to complete in serve",
                stdout => stdout + string.Join("\n", background.Select(b => b.Stderr))
            );
            var show = await CutoverProcess.RunAsync(
                dir,
                ["wave", "show", startedWave, "--config", "sandbox.settings.json"]
            );
            Assert.DoesNotContain("not started", show.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("in flight", show.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var b in Enumerable.Reverse(background))
                await b.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
