using System.Diagnostics;

namespace Registry.LoadTests.Running;

/// <summary>The hard cap on requests: shared by all workers, so the total is exact whatever the concurrency.</summary>
internal sealed class RequestBudget(long maxRequests)
{
    private long taken;
    private long exhaustedAt;

    /// <summary>When the first request over the cap was refused, on the <see cref="Stopwatch"/> timeline.</summary>
    public long? ExhaustedAt => Volatile.Read(ref exhaustedAt) is var at and not 0 ? at : null;

    public bool TryTake()
    {
        if (Interlocked.Increment(ref taken) <= maxRequests)
        {
            return true;
        }

        Interlocked.CompareExchange(ref exhaustedAt, Stopwatch.GetTimestamp(), 0);
        return false;
    }
}
