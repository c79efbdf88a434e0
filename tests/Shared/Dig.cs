using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace CutoverEngine.Testing;

/// <summary>One record line of dig's output: name, TTL, class, type, data.</summary>
internal sealed record DigRecord(string Name, long Ttl, string Class, string Type, string Data);

/// <summary>dig's answer, parsed from its default output.</summary>
internal sealed partial class DigResult
{
    public required string Output { get; init; }
    public string Status { get; private set; } = "";
    public HashSet<string> Flags { get; } = [];
    public string? EdnsLine { get; private set; }
    public List<DigRecord> Answer { get; } = [];
    public List<DigRecord> Authority { get; } = [];

    public static DigResult Parse(string output)
    {
        var result = new DigResult { Output = output };
        List<DigRecord>? section = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (HeaderLine().Match(line) is { Success: true } header)
                result.Status = header.Groups[1].Value;
            else if (FlagsLine().Match(line) is { Success: true } flags)
                result.Flags.UnionWith(flags.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            else if (line.StartsWith("; EDNS:", StringComparison.Ordinal))
                result.EdnsLine = line;
            else if (line.StartsWith(";; ANSWER SECTION:", StringComparison.Ordinal))
                section = result.Answer;
            else if (line.StartsWith(";; AUTHORITY SECTION:", StringComparison.Ordinal))
                section = result.Authority;
            else if (line.StartsWith(";;", StringComparison.Ordinal) || line.Length == 0)
                section = line.Length == 0 ? null : section;
            else if (section is not null && RecordLine().Match(line) is { Success: true } rr)
                section.Add(
                    new DigRecord(
                        rr.Groups[1].Value,
                        long.Parse(rr.Groups[2].Value),
                        rr.Groups[3].Value,
                        rr.Groups[4].Value,
                        rr.Groups[5].Value.Trim()
                    )
                );
        }
        return result;
    }

    public override string ToString() => Output;

    [GeneratedRegex(@"->>HEADER<<- opcode: \w+, status: (\w+), id:")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^;; flags:([^;]*);")]
    private static partial Regex FlagsLine();

    [GeneratedRegex(@"^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$")]
    private static partial Regex RecordLine();
}

/// <summary>Runs the real dig against the sandbox's responder, so the wire format is judged by BIND's parser.</summary>
internal static class Dig
{
    const string Path = "/usr/bin/dig";

    public static async Task<DigResult> RunAsync(IPEndPoint server, params string[] arguments)
    {
        if (!File.Exists(Path))
            Assert.Fail($"dig is not installed at {Path}; these tests need it: apt-get install bind9-dnsutils");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("@" + server.Address);
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(server.Port.ToString());
        // One try with a short wait: a responder that does not answer should fail the test fast.
        start.ArgumentList.Add("+time=3");
        start.ArgumentList.Add("+tries=1");
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"dig {string.Join(' ', start.ArgumentList)} did not finish within 20 s");
        }
        var output = await stdout + await stderr;
        Assert.True(
            process.ExitCode == 0,
            $"dig {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output}"
        );
        return DigResult.Parse(output);
    }
}
