using System.Net;
using System.Security.Cryptography;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;
using DnsClient;

namespace CutoverEngine.Sandbox.SendingControl;

/// <summary>
/// One environment's simulated sending application: a mail queue fed by a generator, a delivery loop that hands the
/// oldest message to an MTA (found by a real DNS query for one of the environment's MTA host names), and the
/// pause/lease/resume control the cutover engine drives. A message leaves the queue only on 250 after DATA, so a
/// failed attempt loses nothing and an accepted one is never sent again.
/// </summary>
public sealed class SendingEnvironment : IDisposable
{
    readonly object _gate = new();
    readonly SandboxWorld _world;
    readonly TopologyEnvironment _topology;
    readonly SendingControlOptions _options;
    readonly ILookupClient _dns;
    readonly int _smtpPort;
    readonly string _runToken;
    readonly string _domain;

    readonly LinkedList<OutgoingMessage> _queue = new();
    readonly Dictionary<string, long> _byAddress = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _byHost = new(StringComparer.Ordinal);
    readonly Queue<DeliveryRecord> _deliveries = new();
    readonly List<PauseRecord> _pauses = [];
    long _sequence;
    long _delivered;
    long _failedAttempts;
    int _attemptsOnHead;
    int _roundRobin;
    string? _lastFailure;
    DateTimeOffset? _lastFailureAt;
    DateTimeOffset? _lastDeliveryAt;
    ITimer? _leaseTimer;
    TaskCompletionSource? _inFlight;
    TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SendingEnvironment(
        SandboxWorld world,
        TopologyEnvironment topology,
        IPEndPoint dns,
        int smtpPort,
        SendingControlOptions options
    )
    {
        _world = world;
        _topology = topology;
        _functionsFailWhilePaused = topology.OtherFunctions.ToDictionary(
            f => f.Name,
            f => f.FailsWhilePaused,
            StringComparer.Ordinal
        );
        _options = options;
        _smtpPort = smtpPort;
        _runToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _domain = string.IsNullOrWhiteSpace(topology.SendingDomain)
            ? $"{topology.Id}.sandbox.invalid"
            : topology.SendingDomain.TrimEnd('.');
        _dns = new LookupClient(
            new LookupClientOptions(new NameServer(dns))
            {
                UseCache = false,
                Recursion = false,
                Timeout = options.DnsTimeout,
                Retries = options.DnsRetries,
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
            }
        );
        MessagesPerSecond = topology.MessagesPerSecond ?? world.Settings.MessagesPerSecond;
    }

    public string Id => _topology.Id;
    public IReadOnlyList<string> MtaHostNames => _topology.MtaHostNames;
    public double MessagesPerSecond { get; }

    /// <summary>
    /// Whether the generator (when the server generates mail) produces. Switching it off stops new mail without
    /// touching
    /// the queue, e.g. to let a test or a demo drain; switching it on resumes at the rate, without a burst. Default
    /// true.
    /// </summary>
    public bool GeneratorEnabled
    {
        get
        {
            lock (_gate)
                return _generatorEnabled;
        }
        set
        {
            lock (_gate)
            {
                if (_generatorEnabled == value)
                    return;
                _generatorEnabled = value;
                _generatorRebase = true; // the next tick counts the rate from then, whatever happened in between
            }
        }
    }
    bool _generatorEnabled = true;
    bool _generatorRebase;

    bool IsPaused => _pauses.Count > 0 && _pauses[^1].ResumedAt is null;

    /// <summary>The instance's other functions with their fault switches (true: fails while paused).</summary>
    readonly Dictionary<string, bool> _functionsFailWhilePaused;

    /// <summary>The names of the instance's other functions (topology otherFunctions).</summary>
    public IReadOnlyCollection<string> OtherFunctions => _functionsFailWhilePaused.Keys;

    /// <summary>The fault switch of one function: failing, it answers 503 while sending is paused and 200 otherwise.
    /// Throws naming an unknown function.</summary>
    public void FailWhilePaused(string function, bool failing = true)
    {
        lock (_gate)
        {
            if (!_functionsFailWhilePaused.ContainsKey(function))
                throw new ArgumentException($"no other function '{function}' in {Id}", nameof(function));
            _functionsFailWhilePaused[function] = failing;
        }
    }

    /// <summary>Whether the function answers now: null for an unknown function.</summary>
    public bool? FunctionAnswers(string function)
    {
        lock (_gate)
        {
            if (!_functionsFailWhilePaused.TryGetValue(function, out var failWhilePaused))
                return null;
            return !(failWhilePaused && IsPaused);
        }
    }

    /// <summary>Puts <paramref name="count"/> new messages at the tail of the queue (the generator does this; tests may
    /// too).</summary>
    public void Produce(int count)
    {
        if (count <= 0)
            return;
        lock (_gate)
        {
            var now = _world.Now;
            for (int i = 0; i < count; i++)
                _queue.AddLast(NewMessage(++_sequence, now));
            Signal();
        }
    }

    /// <summary>
    /// Stops handing mail to MTAs until <see cref="Resume"/> or until the lease runs out, and returns once no message
    /// is in flight (at most <see cref="SendingControlOptions.AttemptTimeout"/>), so that after it returns no MTA
    /// receives anything from this environment. Pausing a paused environment renews its lease and keeps its pausedAt.
    /// </summary>
    public async Task<SendingStatus> PauseAsync(
        double? leaseSeconds = null,
        string? reason = null,
        string? requestId = null,
        CancellationToken ct = default
    )
    {
        var lease = LeaseOf(leaseSeconds);
        string outcome;
        Task? inFlight;
        lock (_gate)
        {
            var now = _world.Now;
            ExpireLeaseIfDue(now);
            if (IsPaused)
            {
                var current = _pauses[^1];
                _pauses[^1] = current with { LeaseExpiresAt = now + lease, LeaseRenewals = current.LeaseRenewals + 1 };
                outcome = "already-paused";
            }
            else
            {
                _pauses.Add(
                    new PauseRecord(
                        now,
                        null,
                        null,
                        reason,
                        requestId,
                        now + lease,
                        0,
                        _queue.Count,
                        _sequence,
                        _delivered,
                        null,
                        null,
                        null
                    )
                );
                outcome = "paused";
            }
            ScheduleLeaseExpiry(lease);
            inFlight = _inFlight?.Task;
        }
        if (inFlight is not null)
        {
            try
            {
                await inFlight.WaitAsync(_options.AttemptTimeout, ct);
            }
            catch (TimeoutException) { } // the status then says inFlight: true
        }
        return Status() with { Outcome = outcome };
    }

    /// <summary>Extends the current pause to now + <paramref name="leaseSeconds"/>; refused (409 NotPaused) when not
    /// paused.</summary>
    public SendingStatus RenewLease(double? leaseSeconds = null)
    {
        var lease = LeaseOf(leaseSeconds);
        lock (_gate)
        {
            var now = _world.Now;
            ExpireLeaseIfDue(now);
            if (!IsPaused)
            {
                var last =
                    _pauses.Count == 0
                        ? "it was never paused"
                        : $"its last pause ended at {_pauses[^1].ResumedAt:O} by {_pauses[^1].ResumedBy}";
                throw new SendingControlException(
                    409,
                    "NotPaused",
                    $"Environment '{Id}' is not paused ({last}); pause it instead of renewing a lease.",
                    environmentId: Id
                );
            }
            var current = _pauses[^1];
            _pauses[^1] = current with { LeaseExpiresAt = now + lease, LeaseRenewals = current.LeaseRenewals + 1 };
            ScheduleLeaseExpiry(lease);
        }
        return Status() with { Outcome = "lease-renewed" };
    }

    /// <summary>Lets mail flow again. Resuming a running environment changes nothing and says
    /// "already-running".</summary>
    public SendingStatus Resume()
    {
        string outcome;
        lock (_gate)
        {
            var now = _world.Now;
            ExpireLeaseIfDue(now);
            if (IsPaused)
            {
                EndPause(now, "api");
                outcome = "resumed";
            }
            else
                outcome = "already-running";
        }
        return Status() with { Outcome = outcome };
    }

    public SendingStatus Status()
    {
        lock (_gate)
        {
            var now = _world.Now;
            ExpireLeaseIfDue(now);
            var paused = IsPaused;
            var pause = paused ? _pauses[^1] : null;
            return new SendingStatus(
                Id,
                paused,
                pause?.PausedAt,
                pause?.LeaseExpiresAt,
                _queue.Count,
                _inFlight is not null,
                _sequence,
                _delivered,
                new SortedDictionary<string, long>(_byAddress, StringComparer.Ordinal),
                new SortedDictionary<string, long>(_byHost, StringComparer.Ordinal),
                _failedAttempts,
                _lastFailure,
                _lastFailureAt,
                [.. _pauses],
                _lastDeliveryAt,
                [.. _topology.MtaHostNames],
                MessagesPerSecond,
                now
            );
        }
    }

    /// <summary>The latest deliveries, oldest first (bounded by <see
    /// cref="SendingControlOptions.DeliveryJournalCapacity"/>).</summary>
    public IReadOnlyList<DeliveryRecord> Deliveries()
    {
        lock (_gate)
            return [.. _deliveries];
    }

    /// <summary>The messages waiting, oldest first (the head may be in flight), like a queue listing of a real
    /// MTA.</summary>
    public IReadOnlyList<OutgoingMessage> Queued()
    {
        lock (_gate)
            return [.. _queue];
    }

    /// <summary>
    /// Produces at the environment's rate on the world's clock from <paramref name="start"/>: each tick makes up
    /// whatever is due, so timer jitter (or a fake clock advanced in big steps) does not change the rate.
    /// </summary>
    internal async Task RunGeneratorAsync(DateTimeOffset start, CancellationToken ct)
    {
        var rate = MessagesPerSecond;
        if (rate <= 0)
            return;
        var clock = _world.Clock;
        var period = TimeSpan.FromSeconds(Math.Max(1 / rate, 0.02));
        long made = 0;
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                bool enabled,
                    rebase;
                lock (_gate)
                {
                    (enabled, rebase) = (_generatorEnabled, _generatorRebase);
                    _generatorRebase = false;
                }
                if (!enabled || rebase)
                {
                    start = clock.GetUtcNow();
                    made = 0;
                    continue;
                }
                var due = (long)Math.Floor((clock.GetUtcNow() - start).TotalSeconds * rate) - made;
                if (due <= 0)
                    continue;
                Produce((int)Math.Min(due, int.MaxValue));
                made += due;
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Hands the oldest message to an MTA, one at a time, while not paused; keeps it queued on any
    /// failure.</summary>
    internal async Task RunDeliveryAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            OutgoingMessage? message = null;
            string? hostName = null;
            Task wait;
            TaskCompletionSource attempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                ExpireLeaseIfDue(_world.Now);
                wait = _changed.Task;
                if (!IsPaused && _queue.First is { } head)
                {
                    message = head.Value;
                    if (_topology.MtaHostNames.Count > 0)
                        hostName = _topology.MtaHostNames[_roundRobin++ % _topology.MtaHostNames.Count];
                    _inFlight = attempt;
                    _attemptsOnHead++;
                }
            }
            if (message is null)
            {
                try
                {
                    await wait.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }

            var failed = false;
            try
            {
                if (hostName is null)
                    throw new SmtpDeliveryException($"environment '{Id}' names no MTA host (mtaHostNames is empty)");
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.AttemptTimeout);
                var address = await ResolveAsync(hostName, timeout.Token);
                var heloName = $"app.{_domain}";
                SmtpAcceptance accepted;
                try
                {
                    accepted = await SmtpDeliveryClient.SendAsync(
                        new IPEndPoint(address, _smtpPort),
                        heloName,
                        message,
                        timeout.Token
                    );
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new SmtpDeliveryException(
                        $"delivery to {hostName} ({address}:{_smtpPort}) took longer than {_options.AttemptTimeout.TotalSeconds:0.#} s"
                    );
                }
                Delivered(message, hostName, address, accepted);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failed = true;
                lock (_gate)
                {
                    _failedAttempts++;
                    _lastFailure = $"{hostName ?? "(no host)"}: {ex.Message}";
                    _lastFailureAt = _world.Now;
                }
            }
            finally
            {
                lock (_gate)
                    _inFlight = null;
                attempt.TrySetResult();
            }
            if (failed)
            {
                try
                {
                    await Task.Delay(_options.RetryBackoff, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    async Task<IPAddress> ResolveAsync(string hostName, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(hostName, QueryType.A, QueryClass.IN, ct);
        }
        catch (DnsResponseException ex)
        {
            throw new SmtpDeliveryException($"DNS query for {hostName} A failed: {ex.Code} ({ex.Message})", ex);
        }
        if (response.HasError)
            throw new SmtpDeliveryException(
                $"DNS query for {hostName} A failed: {response.Header.ResponseCode} ({response.ErrorMessage})"
            );
        var addresses = response.Answers.ARecords().Select(a => a.Address).ToList();
        if (addresses.Count == 0)
            throw new SmtpDeliveryException($"DNS has no A record for {hostName}");
        // Several A records: spread over them as a sending application would.
        lock (_gate)
            return addresses[(int)(_delivered % addresses.Count)];
    }

    void Delivered(OutgoingMessage message, string hostName, IPAddress address, SmtpAcceptance accepted)
    {
        lock (_gate)
        {
            var now = _world.Now;
            // Only this loop removes from the queue and the generator only appends, so the head is still this message.
            if (_queue.First?.Value == message)
                _queue.RemoveFirst();
            else
                _queue.Remove(message);
            _delivered++;
            var ip = address.ToString();
            _byAddress[ip] = _byAddress.GetValueOrDefault(ip) + 1;
            var host = accepted.HostId ?? accepted.HostName;
            _byHost[host] = _byHost.GetValueOrDefault(host) + 1;
            _lastDeliveryAt = now;
            if (_pauses.Count > 0 && _pauses[^1] is { ResumedAt: not null, FirstDeliveryAfterResumeAt: null } resumed)
                _pauses[^1] = resumed with { FirstDeliveryAfterResumeAt = now };
            else if (IsPaused)
            {
                // This message was in flight when the pause came (the pause waited for it): count it as delivered
                // before the pause, so that queued at pause + produced while paused = queued at resume holds exactly.
                var current = _pauses[^1];
                _pauses[^1] = current with
                {
                    QueueDepthAtPause = current.QueueDepthAtPause - 1,
                    DeliveredAtPause = current.DeliveredAtPause + 1,
                };
            }
            _deliveries.Enqueue(
                new DeliveryRecord(
                    message.Sequence,
                    message.MessageId,
                    message.ProducedAt,
                    now,
                    hostName,
                    ip,
                    accepted.HostId,
                    accepted.QueueId,
                    _attemptsOnHead
                )
            );
            while (_deliveries.Count > _options.DeliveryJournalCapacity)
                _deliveries.Dequeue();
            _attemptsOnHead = 0;
        }
    }

    TimeSpan LeaseOf(double? leaseSeconds)
    {
        var seconds = leaseSeconds ?? _world.Settings.DefaultPauseLeaseSeconds;
        if (double.IsNaN(seconds) || seconds <= 0 || seconds > _options.MaxLeaseSeconds)
            throw new SendingControlException(
                400,
                "MalformedBody",
                $"leaseSeconds must be a number of seconds above 0 and at most {_options.MaxLeaseSeconds}; got {seconds}.",
                "leaseSeconds",
                Id
            );
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Arms the lease timer on the world's clock; the caller holds the gate.</summary>
    void ScheduleLeaseExpiry(TimeSpan lease)
    {
        _leaseTimer?.Dispose();
        _leaseTimer = _world.Clock.CreateTimer(
            _ =>
            {
                lock (_gate)
                    ExpireLeaseIfDue(_world.Now);
            },
            null,
            lease,
            Timeout.InfiniteTimeSpan
        );
    }

    /// <summary>
    /// Resumes a pause whose lease has run out: a cutover engine that died mid-flight must not leave a customer paused.
    /// Checked by the timer and on every read, so the state is right even before the timer has fired. Caller holds the
    /// gate.
    /// </summary>
    void ExpireLeaseIfDue(DateTimeOffset now)
    {
        if (IsPaused && now >= _pauses[^1].LeaseExpiresAt)
            EndPause(_pauses[^1].LeaseExpiresAt, "lease-expiry");
    }

    void EndPause(DateTimeOffset at, string by)
    {
        _pauses[^1] = _pauses[^1] with
        {
            ResumedAt = at,
            ResumedBy = by,
            QueueDepthAtResume = _queue.Count,
            ProducedAtResume = _sequence,
        };
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        Signal();
    }

    /// <summary>Wakes the delivery loop (new mail, resume); the caller holds the gate.</summary>
    void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    OutgoingMessage NewMessage(long sequence, DateTimeOffset now)
    {
        var messageId = $"<{sequence:D8}.{_runToken}.{Id}@{_domain}>";
        var from = $"notifications@{_domain}";
        var to = $"recipient-{sequence % 1000:D3}@customers.example";
        var data =
            $"From: Sandbox Sender <{from}>\r\n"
            + $"To: <{to}>\r\n"
            + $"Subject: Sandbox message {sequence} from {Id}\r\n"
            + $"Date: {now.UtcDateTime:ddd, dd MMM yyyy HH:mm:ss} +0000\r\n"
            + $"Message-ID: {messageId}\r\n"
            + $"X-Cutover-Environment: {Id}\r\n"
            + $"X-Cutover-Sequence: {sequence}\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + $"Message {sequence} of environment {Id}, produced at {now.UtcDateTime:O}.\r\n"
            + ".A line that starts with a dot, to exercise dot-stuffing.\r\n"
            + "..\r\n";
        return new OutgoingMessage(sequence, messageId, from, to, now, data);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _leaseTimer?.Dispose();
            _leaseTimer = null;
        }
    }
}
