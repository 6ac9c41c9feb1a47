using Registry.Grains.PagedWork;

namespace Registry.Unit.Tests.PagedWork;

/// <summary>The bounded fan-out grains use to call many grains from one page.</summary>
public sealed class FanOutTests
{
    /// <summary>Exactly the limit starts at once, never more are in flight, and results come back in list order.</summary>
    [Fact]
    public async Task At_most_the_limit_is_in_flight_and_results_keep_the_list_order()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var inFlight = 0;
        var most = 0;

        var run = FanOut.RunAsync([.. Enumerable.Range(0, 100)], 7, async item =>
        {
            Interlocked.Increment(ref started);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await gate.Task;
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return item * 2;
        });
        var startedBeforeAnyEnded = Volatile.Read(ref started);
        gate.SetResult();
        var results = await run;

        Assert.Equal(7, startedBeforeAnyEnded);
        Assert.Equal(7, most);
        Assert.Equal(Enumerable.Range(0, 100).Select(static item => item * 2), results);
    }

    /// <summary>After a call fails no new call starts, and the failure reaches the caller.</summary>
    [Fact]
    public async Task A_failed_call_stops_new_calls_and_is_thrown()
    {
        var called = new List<int>();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => FanOut.RunAsync([.. Enumerable.Range(0, 100)], 3, item =>
        {
            called.Add(item);
            return item == 5 ? Task.FromException<int>(new InvalidOperationException("citizen 5 failed")) : Task.FromResult(item);
        }));

        Assert.Equal("citizen 5 failed", failure.Message);
        Assert.Equal([0, 1, 2, 3, 4, 5], called);
    }

    /// <summary>An empty list calls nothing; a limit under one is refused.</summary>
    [Fact]
    public async Task An_empty_list_calls_nothing_and_a_limit_under_one_is_refused()
    {
        Assert.Empty(await FanOut.RunAsync(Array.Empty<int>(), 4, static item => Task.FromResult(item)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => FanOut.RunAsync([1], 0, static item => Task.FromResult(item)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
