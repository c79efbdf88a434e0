namespace CutoverEngine.Aws.Resilience;

/// <summary>Told of each retry the pipeline schedules: the failure and the delay before the next attempt.</summary>
internal interface IRetryObserver
{
    void RetryScheduled(Exception? failure, TimeSpan delay);
}
