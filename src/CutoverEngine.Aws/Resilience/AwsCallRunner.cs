using CutoverEngine.Aws.Recording;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace CutoverEngine.Aws.Resilience;

/// <summary>What one successful attempt returned: the value, and the HTTP status and request id to record.</summary>
public readonly record struct AwsReply<T>(T Value, int HttpStatus, string? RequestId);

/// <summary>
/// Runs one AWS call through its account's pipeline and puts every attempt on record (Serilog and the attempt feed).
/// This is the one place attempts are counted and bounded; the SDK's own retries are off.
/// </summary>
public sealed class AwsCallRunner(AwsPipelineRegistry pipelines, IAwsAttemptSink attempts, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails for good or the call budget runs out. Failures surface
    /// as
    /// <see cref="AwsCallException"/> (or its subtypes) with the attempt count; caller cancellation as
    /// OperationCanceledException.
    /// </summary>
    public async Task<T> RunAsync<T>(
        AwsOperation operation,
        string account,
        Func<CancellationToken, Task<AwsReply<T>>> attempt,
        CancellationToken cancellationToken = default
    )
    {
        var pipeline = pipelines.Get(operation, account);
        var call = new CallRecorder(
            operation,
            account,
            pipelines.CallBudgetOf(operation.Budget),
            attempts,
            _time,
            cancellationToken
        );
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AwsPipelineRegistry.RetryObserverKey, call);
        try
        {
            var value = await pipeline
                .ExecuteAsync(
                    static async (ctx, state) =>
                    {
                        var (call, attempt) = state;
                        call.BeginAttempt();
                        using var span = call.StartSpan();
                        try
                        {
                            var reply = await attempt(ctx.CancellationToken).ConfigureAwait(false);
                            call.AttemptSucceeded(reply.HttpStatus, reply.RequestId);
                            AwsTelemetry.Succeeded(span, reply.HttpStatus, reply.RequestId);
                            return reply.Value;
                        }
                        catch (Exception ex)
                        {
                            var translated = call.Translate(ex, ctx.CancellationToken);
                            call.AttemptFailed(translated);
                            AwsTelemetry.Failed(span, translated);
                            if (ReferenceEquals(translated, ex))
                                throw;
                            throw translated;
                        }
                    },
                    context,
                    (call, attempt)
                )
                .ConfigureAwait(false);
            call.Finish(failure: null);
            return value;
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var final = call.ToCallException(ex);
            call.Finish(final);
            final.Attempts = call.AttemptCount;
            throw final;
        }
        catch (OperationCanceledException)
        {
            call.Finish(new AwsTransportException(operation, account, AwsFault.Cancelled, "Cancelled by the caller."));
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Records that a call was not made because its desired state was already live.</summary>
    public void RecordAlreadyInPlace(AwsOperation operation, string account, string note) =>
        attempts.Record(
            new AwsAttempt
            {
                CallId = Guid.NewGuid(),
                Service = operation.Service,
                Operation = operation.Name,
                Account = account,
                AttemptNumber = 0,
                Outcome = AwsAttemptOutcome.AlreadyInPlace,
                StartedAt = _time.GetUtcNow(),
                Latency = TimeSpan.Zero,
                Note = note,
            }
        );

    /// <summary>Tracks one call's attempts; an attempt's record is published once it is known whether another
    /// follows.</summary>
    private sealed class CallRecorder(
        AwsOperation operation,
        string account,
        TimeSpan callBudget,
        IAwsAttemptSink sink,
        TimeProvider time,
        CancellationToken callerToken
    ) : IRetryObserver
    {
        private readonly Guid _callId = Guid.NewGuid();

        // When the call began: once its budget is spent, the budget (not the last attempt's timeout) is why it gave up.
        private readonly long _callStarted = time.GetTimestamp();

        // Captured once: retries run on timer threads, but belong to the caller's scope.
        private readonly IReadOnlyDictionary<string, string> _labels = AwsCallScope.Current;
        private readonly Lock _gate = new();
        private AwsAttempt? _pending;
        private long _startTimestamp;
        private DateTimeOffset _startedAt;

        public int AttemptCount { get; private set; }

        public void BeginAttempt()
        {
            lock (_gate)
            {
                AttemptCount++;
                _startedAt = time.GetUtcNow();
                _startTimestamp = time.GetTimestamp();
            }
        }

        /// <summary>The attempt's span, numbered as its record is.</summary>
        public System.Diagnostics.Activity? StartSpan() => AwsTelemetry.StartAttempt(operation, account, AttemptCount);

        public void AttemptSucceeded(int httpStatus, string? requestId)
        {
            lock (_gate)
                _pending = NewRecord(AwsAttemptOutcome.Succeeded) with
                {
                    HttpStatus = httpStatus,
                    RequestId = requestId,
                };
        }

        public void AttemptFailed(Exception failure)
        {
            lock (_gate)
                _pending = Describe(NewRecord(AwsAttemptOutcome.Failed), failure);
        }

        public void RetryScheduled(Exception? failure, TimeSpan delay)
        {
            AwsAttempt record;
            lock (_gate)
            {
                record = TakePending(failure) with { Outcome = AwsAttemptOutcome.Retrying, NextAttemptDelay = delay };
            }
            sink.Record(record);
        }

        public void Finish(Exception? failure)
        {
            AwsAttempt? record;
            lock (_gate)
            {
                record = failure is null ? _pending : TakePending(failure) with { Outcome = AwsAttemptOutcome.Failed };
                // The last attempt was cut short by the call's budget, not by its own timeout: say so.
                if (
                    record is not null
                    && failure is AwsTransportException { Fault: AwsFault.CallBudgetExceeded or AwsFault.Cancelled } t
                )
                    record = record with
                    {
                        ErrorCode = t.Fault.ToString(),
                        ErrorMessage = t.Message,
                        FaultClass = AwsFaultClassifier.ClassOf(t.Fault),
                    };
                _pending = null;
            }
            if (record is not null)
                sink.Record(record);
        }

        // When the pipeline refused the attempt before it ran (circuit open, limiter full), there is no pending record
        // yet.
        private AwsAttempt TakePending(Exception? failure)
        {
            var record = _pending;
            _pending = null;
            if (record is not null)
                return record;
            AttemptCount++;
            _startedAt = time.GetUtcNow();
            _startTimestamp = time.GetTimestamp();
            return Describe(NewRecord(AwsAttemptOutcome.Failed), failure) with { Latency = TimeSpan.Zero };
        }

        private AwsAttempt NewRecord(AwsAttemptOutcome outcome) =>
            new()
            {
                CallId = _callId,
                Service = operation.Service,
                Operation = operation.Name,
                Account = account,
                AttemptNumber = AttemptCount,
                Outcome = outcome,
                StartedAt = _startedAt,
                Latency = time.GetElapsedTime(_startTimestamp),
                Labels = _labels,
            };

        private AwsAttempt Describe(AwsAttempt record, Exception? failure) =>
            failure switch
            {
                // Our token was cancelled but not by the caller: a timeout (the attempt's, or the call budget's, fixed
                // up in Finish).
                OperationCanceledException when !callerToken.IsCancellationRequested => record with
                {
                    ErrorCode = AwsFault.AttemptTimeout.ToString(),
                    ErrorMessage = "The attempt was abandoned when its time ran out.",
                    FaultClass = AwsFaultClassifier.ClassOf(AwsFault.AttemptTimeout),
                },
                AwsServiceException s => record with
                {
                    HttpStatus = s.HttpStatus,
                    ErrorCode = s.ErrorCode,
                    ErrorMessage = s.ErrorMessage,
                    RequestId = s.RequestId,
                    FaultClass = AwsFaultClassifier.ClassOf(AwsFaultClassifier.Classify(s)),
                },
                null => record,
                _ => record with
                {
                    ErrorCode = AwsFaultClassifier.Classify(failure).ToString(),
                    ErrorMessage = failure.Message,
                    FaultClass = AwsFaultClassifier.ClassOf(AwsFaultClassifier.Classify(failure)),
                },
            };

        /// <summary>Turns transport failures into typed ones; leaves cancellation alone so Polly's timeouts see
        /// it.</summary>
        public Exception Translate(Exception ex, CancellationToken attemptToken) =>
            ex switch
            {
                AwsCallException => ex,
                OperationCanceledException when attemptToken.IsCancellationRequested => ex,
                // HttpClient reports its own timeout as a TaskCanceledException not tied to our token.
                TaskCanceledException => new AwsTransportException(
                    operation,
                    account,
                    AwsFault.AttemptTimeout,
                    $"{operation.Service} {operation.Name} in account {account}: the HTTP request timed out.",
                    ex
                ),
                _ when AwsFaultClassifier.IsConnectionFailure(ex) => new AwsTransportException(
                    operation,
                    account,
                    AwsFault.ConnectionFailed,
                    $"{operation.Service} {operation.Name} in account {account}: connection failed: {ex.Message}",
                    ex
                ),
                _ => ex,
            };

        /// <summary>The exception the caller sees once the call has given up.</summary>
        public AwsCallException ToCallException(Exception ex)
        {
            var what = $"{operation.Service} {operation.Name} in account {account}";
            return ex switch
            {
                AwsCallException c => c,
                TimeoutRejectedException t
                    when t.Timeout == callBudget || time.GetElapsedTime(_callStarted) >= callBudget =>
                    new AwsTransportException(
                        operation,
                        account,
                        AwsFault.CallBudgetExceeded,
                        $"{what}: gave up after {AttemptCount} attempt(s): the call's time budget of {callBudget} ran out.",
                        ex
                    ),
                TimeoutRejectedException t => new AwsTransportException(
                    operation,
                    account,
                    AwsFault.AttemptTimeout,
                    $"{what}: gave up after {AttemptCount} attempt(s): the last attempt outlived its timeout of {t.Timeout}.",
                    ex
                ),
                BrokenCircuitException => new AwsTransportException(
                    operation,
                    account,
                    AwsFault.CircuitOpen,
                    $"{what}: not sent: the circuit for this endpoint is open after repeated failures.",
                    ex
                ),
                RateLimiterRejectedException => new AwsTransportException(
                    operation,
                    account,
                    AwsFault.RateLimiterFull,
                    $"{what}: not sent: too many callers already wait for this account's rate limit.",
                    ex
                ),
                OperationCanceledException => new AwsTransportException(
                    operation,
                    account,
                    AwsFault.CallBudgetExceeded,
                    $"{what}: cancelled by a timeout after {AttemptCount} attempt(s).",
                    ex
                ),
                _ => new AwsCallException(operation, account, $"{what} failed: {ex.Message}", ex),
            };
        }
    }
}
