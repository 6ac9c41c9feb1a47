using System.Diagnostics;
using Xunit.Sdk;

namespace Registry.TestSupport;

/// <summary>
/// Waiting for something the registry does by itself (a reminder, a timer, a sweep, a stream delivery): the test polls
/// the condition and goes on as soon as it holds, so it is as fast as the machine allows and still passes on a busy
/// one. The bound is a number of the configured periods of the work waited on (<see cref="Periods"/>), never a bare
/// number of seconds, so it follows the options when they change; reaching it fails the test with what was seen last.
/// </summary>
public static class Eventually
{
    /// <summary>
    /// How many periods of the awaited work a test waits before it calls the work lost. A sweep that runs every 2 s
    /// and has not finished after 30 chances is broken, not slow; a busy machine delays a tick, not thirty.
    /// </summary>
    public const int Periods = 30;

    /// <summary>
    /// The least bound: work with a sub-second period still waits on PostgreSQL, a JIT and a garbage collection of a
    /// machine that runs three silos, the tests and a database on two cores.
    /// </summary>
    public static readonly TimeSpan MinimumBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The bound for work that runs every <paramref name="period"/>: <see cref="Periods"/> of them, at least <see cref="MinimumBound"/>.</summary>
    public static TimeSpan Within(TimeSpan period) => period * Periods > MinimumBound ? period * Periods : MinimumBound;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="bound"/> naming <paramref name="what"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan bound, string what) =>
        ValueAsync(condition, static done => done, bound, what);

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> accepts its value and returns that value; fails after
    /// <paramref name="bound"/> with <paramref name="what"/> and the last value read.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan bound, string what)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > bound)
            {
                throw new XunitException($"Not reached within {bound.TotalSeconds:0.#} s: {what}. Last seen: {Describe(value)}.");
            }

            await Task.Delay(PollInterval);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string text => text,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
