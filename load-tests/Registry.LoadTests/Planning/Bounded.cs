using System.Diagnostics;

namespace Registry.LoadTests.Planning;

/// <summary>How a bounded attempt ended: the last answer (or what the last attempt threw), how many attempts, how long.</summary>
internal sealed record BoundedResult<T>(bool Done, T? Last, Exception? LastFailure, int Attempts, TimeSpan Elapsed);

/// <summary>
/// Retries with backoff until an answer is the one waited for or a bound passes, and never throws what an attempt threw:
/// a check at the end of a run must say "failed, and why" in the report rather than end the program (a cold cluster's
/// first grain calls can time out; a province's counters can trail its read model for a moment).
/// </summary>
internal static class Bounded
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    /// <summary>Calls <paramref name="attempt"/> until <paramref name="done"/> accepts its answer or <paramref name="within"/> has passed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<BoundedResult<T>> UntilAsync<T>(
        Func<CancellationToken, Task<T>> attempt, Func<T, bool> done, TimeSpan within, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        var (attempts, last, failure) = (0, default(T), default(Exception));
        while (true)
        {
            attempts++;
            try
            {
                last = await attempt(cancellationToken);
                failure = null;
                if (done(last))
                {
                    return new BoundedResult<T>(true, last, null, attempts, clock.Elapsed);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure = exception;
            }

            var left = within - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return new BoundedResult<T>(false, last, failure, attempts, clock.Elapsed);
            }

            await Task.Delay(pause < left ? pause : left, cancellationToken);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }
}
