using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CutoverEngine.Testing;

/// <summary>
/// Debian's python3-spf (pyspf) asked once, its DNS pointed at the sandbox's server: the independent SPF oracle the
/// evaluator is held against, here used to judge what prepare and finalise wrote. Linked into the test projects that
/// need it (tests/Shared/Pyspf.cs).
/// </summary>
public static class Pyspf
{
    const string Python = "/usr/bin/python3";

    const string Script = """
        import sys
        import DNS
        import spf
        DNS.defaults['server'] = ['127.0.0.1']
        DNS.defaults['port'] = int(sys.argv[1])
        result, explanation = spf.check2(i=sys.argv[2], s=sys.argv[3], h=sys.argv[4], timeout=10)
        print(result)
        """;

    /// <summary>pyspf's result (pass, fail, softfail, neutral, none, temperror, permerror) for mail from
    /// <paramref name="sender"/> sent by <paramref name="address"/>.</summary>
    public static async Task<string> CheckAsync(IPEndPoint dns, string address, string sender, string helo)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing: install python3-spf (test.sh does)");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(dns.Port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(address);
        start.ArgumentList.Add(sender);
        start.ArgumentList.Add(helo);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"pyspf exited {process.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }
}
