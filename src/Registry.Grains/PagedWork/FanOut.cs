namespace Registry.Grains.PagedWork;

/// <summary>
/// Calls from one grain to many (a page of citizens, the provinces of a sweep) with a bound on the calls in flight:
/// enough to keep the silos busy, few enough to leave room for interactive requests. No thread of its own: a few
/// workers, each an async loop taking the next item, all awaited on the caller's scheduler (the activation's, in a
/// grain), where Parallel.ForEachAsync would start thread-pool work.
/// </summary>
public static class FanOut
{
    /// <summary>
    /// Calls <paramref name="call"/> for every item with at most <paramref name="limit"/> calls in flight, starting them
    /// in list order; answers the results in list order. After a call throws no new one starts, and the first failure
    /// is thrown once the calls in flight have ended.
    /// </summary>
    public static async Task<TResult[]> RunAsync<TItem, TResult>(IReadOnlyList<TItem> items, int limit, Func<TItem, Task<TResult>> call)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var results = new TResult[items.Count];
        // On a grain's scheduler the workers take turns and need no atomics; Interlocked keeps it right anywhere else.
        var taken = -1;
        var failed = 0;

        async Task WorkAsync()
        {
            int index;
            while (Volatile.Read(ref failed) == 0 && (index = Interlocked.Increment(ref taken)) < items.Count)
            {
                try
                {
                    results[index] = await call(items[index]);
                }
                catch
                {
                    Volatile.Write(ref failed, 1);
                    throw;
                }
            }
        }

        var workers = new Task[Math.Min(limit, items.Count)];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync();
        }

        await Task.WhenAll(workers);
        return results;
    }
}
