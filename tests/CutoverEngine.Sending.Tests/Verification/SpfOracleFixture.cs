using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CutoverEngine.Sandbox.Dns;
using CutoverEngine.Sandbox.World;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Sending.Tests.Verification;

/// <summary>
/// Serves <see cref="SpfOraclePolicies"/> from the sandbox's DNS responder on a loopback port and asks both
/// evaluators every case once: ours through verification's own DNS client, and Debian's python3-spf (pyspf),
/// whose DNS library (python3-dns, i.e. pydns, since Debian's pyspf finds no dnspython) is pointed at the same
/// server.
/// </summary>
public sealed class SpfOracleFixture : IAsyncLifetime
{
    const string Python = "/usr/bin/python3";

    /// <summary>Reads one JSON case per line (address, sender, helo) and prints pyspf's result and
    /// explanation.</summary>
    const string PyspfScript = """
        import json, sys
        import DNS
        import spf
        DNS.defaults['server'] = ['127.0.0.1']
        DNS.defaults['port'] = int(sys.argv[1])
        for line in sys.stdin:
            ip, sender, helo = json.loads(line)
            result, explanation = spf.check2(i=ip, s=sender, h=helo, timeout=10)
            print(json.dumps([result, explanation]), flush=True)
        """;

    DnsResponder? _dns;

    public IReadOnlyDictionary<string, SpfResult> Ours { get; private set; } = null!;
    public IReadOnlyDictionary<string, (string Result, string Explanation)> Pyspf { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var world = new SandboxWorld(SpfOraclePolicies.Topology(), TimeProvider.System);
        _dns = new DnsResponder(world);
        var endpoint = await _dns.StartAsync(IPAddress.Loopback, 0, CancellationToken.None);
        var queries = new DnsQueries(
            Options.Create(new VerificationOptions { AuthoritativeServerOverride = endpoint.ToString() })
        );
        var evaluator = new SpfEvaluator(new SpfDnsQueries(queries, SpfOraclePolicies.Zone));
        var ours = new Dictionary<string, SpfResult>();
        foreach (var c in SpfOraclePolicies.Cases)
            ours[c.Id] = await evaluator.CheckHostAsync(
                IPAddress.Parse(c.Address),
                c.Domain,
                c.SenderOrPostmaster,
                c.Helo,
                CancellationToken.None
            );
        Ours = ours;
        Pyspf = await RunPyspfAsync(endpoint.Port);
    }

    static async Task<IReadOnlyDictionary<string, (string, string)>> RunPyspfAsync(int port)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing: install python3-spf (test.sh does)");
        var script = Path.Combine(Path.GetTempPath(), $"spf-oracle-{Guid.NewGuid():n}.py");
        await File.WriteAllTextAsync(script, PyspfScript);
        try
        {
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            foreach (var c in SpfOraclePolicies.Cases)
                await process.StandardInput.WriteLineAsync(
                    JsonSerializer.Serialize(new[] { c.Address, c.SenderOrPostmaster, c.Helo })
                );
            process.StandardInput.Close();
            // A deadline, not a timing assertion: pyspf's own per-query timeout is 10 s.
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(deadline.Token);
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (process.ExitCode != 0 || lines.Length != SpfOraclePolicies.Cases.Length)
                throw new InvalidOperationException(
                    $"pyspf exited {process.ExitCode} after {lines.Length} of {SpfOraclePolicies.Cases.Length} "
                        + $"cases (is python3-spf installed?): {await stderr}"
                );
            var results = new Dictionary<string, (string, string)>();
            for (int i = 0; i < lines.Length; i++)
            {
                var pair = JsonSerializer.Deserialize<string[]>(lines[i])!;
                results[SpfOraclePolicies.Cases[i].Id] = (pair[0], pair[1]);
            }
            return results;
        }
        finally
        {
            File.Delete(script);
        }
    }

    public async Task DisposeAsync()
    {
        if (_dns is not null)
            await _dns.DisposeAsync();
    }
}
