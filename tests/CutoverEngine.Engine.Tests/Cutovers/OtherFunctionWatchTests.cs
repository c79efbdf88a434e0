using System.Net;
using System.Net.Sockets;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.OtherFunctions;
using CutoverEngine.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>The pause's probes of the other functions across an engine restart mid-pause.</summary>
public sealed class OtherFunctionWatchTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>An HTTP function that answers 503 to every probe (it fails only while paused, as far as the
    /// cutover's baseline knows) and counts the probes.</summary>
    sealed class FailingFunction : IDisposable
    {
        readonly HttpListener listener = new();
        readonly Task serving;
        int requests;

        public FailingFunction()
        {
            using var free = new TcpListener(IPAddress.Loopback, 0);
            free.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)free.LocalEndpoint).Port}/api";
            free.Stop();
            listener.Prefixes.Add(Url + "/");
            listener.Start();
            serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public int Requests => Volatile.Read(ref requests);

        async Task ServeAsync()
        {
            try
            {
                while (listener.IsListening)
                {
                    var context = await listener.GetContextAsync();
                    Interlocked.Increment(ref requests);
                    context.Response.StatusCode = 503;
                    context.Response.Close();
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        }

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            serving.Wait(Deadline);
        }
    }

    static CutoverContext Paused(string url)
    {
        var data = new CutoverData
        {
            Subject = new CutoverSubject
            {
                EnvironmentId = "initech-stg",
                OtherFunctions =
                [
                    new SubjectOtherFunction
                    {
                        Name = "api",
                        Url = url + "/",
                        ExpectedStatus = 200,
                    },
                ],
            },
            // Persisted with the cutover before the pause: the function answered then.
            OtherFunctionBaseline = new Dictionary<string, bool>(StringComparer.Ordinal) { ["api"] = true },
            PausedAt = DateTimeOffset.UtcNow,
        };
        return OneStepRuns.At(
            "await-dns-insync",
            "AwaitDnsInsync",
            TimeSpan.FromMinutes(5),
            5,
            TimeSpan.FromMinutes(2),
            data
        );
    }

    static OtherFunctionWatch Watch(ICutoverJournal journal)
    {
        var options = new CutoverOptions();
        options.OtherFunctions.Interval = TimeSpan.FromMilliseconds(50);
        return new OtherFunctionWatch(
            TimeProvider.System,
            new OtherFunctionProbe(TimeProvider.System, Options.Create(options)),
            journal,
            Options.Create(options),
            NullLogger<OtherFunctionWatch>.Instance
        );
    }

    static async Task<IReadOnlyList<JournalEntry>> Affected(ICutoverJournal journal) =>
        [
            .. (await journal.ReadAsync(new JournalQuery { WorkflowInstance = "wf-1" })).Where(e =>
                e.Event == OtherFunctionAffectedPayload.Event
            ),
        ];

    [Fact]
    public async Task A_restart_mid_pause_does_not_journal_the_same_affected_function_twice()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cutover-watch-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var journal = new SqliteJournal(Path.Combine(directory, "cutover.db"), TimeProvider.System);
        using var function = new FailingFunction();
        var run = Paused(function.Url);

        // The engine's first run: the pause's probes find the function failing and journal the incident.
        var first = Watch(journal);
        await first.KeepAsync(run, default);
        await Eventually.UntilAsync(
            () => Affected(journal),
            a => a.Count >= 1,
            Deadline,
            "the incident",
            a => $"{a.Count}"
        );
        // The engine stops mid-pause: the series in memory is abandoned.
        await first.DisposeAsync();

        // After the restart the next step starts a new series over the same pause; it fails at its first probes.
        var second = Watch(journal);
        var before = function.Requests;
        await second.KeepAsync(run, default);
        await Eventually.UntilAsync(
            () => function.Requests,
            n => n >= before + 3,
            Deadline,
            "three probes after the restart"
        );
        run.Data.ResumedAt = DateTimeOffset.UtcNow;
        await second.KeepAsync(run, default);

        Assert.Single(await Affected(journal));
        var probed = Assert.Single(
            await journal.ReadAsync(new JournalQuery { WorkflowInstance = "wf-1" }),
            e => e.Event == OtherFunctionsProbedPayload.Event
        );
        // The series after the restart still judges against the baseline persisted before the pause.
        var api = Assert.Single(JournalPayload.Parse(probed.Payload).Objects("functions"));
        Assert.Equal("true", api.String("affected"));
        Assert.Equal("true", api.String("baselineAvailable"));
        await second.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
