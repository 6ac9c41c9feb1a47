using System.Diagnostics;
using System.Globalization;

namespace Registry.LoadTests.Running;

/// <summary>
/// Run-wide counters for the live progress line only; the report's figures come from the per-worker
/// recorders. Two interlocked increments per request cost nothing next to an HTTP round trip.
/// </summary>
internal sealed class ProgressCounters
{
    private long warmup;
    private long measured;
    private long failed;

    public void Count(RunClock clock, long started, bool succeeded)
    {
        if (clock.IsWarmup(started))
        {
            Interlocked.Increment(ref warmup);
            return;
        }

        Interlocked.Increment(ref measured);
        if (!succeeded)
        {
            Interlocked.Increment(ref failed);
        }
    }

    /// <summary>Prints one line every <paramref name="interval"/> until <paramref name="cancellationToken"/> fires.</summary>
    public async Task PrintAsync(RunClock clock, TimeSpan interval, TextWriter output, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        var last = 0L;
        var lastAt = clock.Start;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                var total = Volatile.Read(ref warmup) + Volatile.Read(ref measured);
                var rate = (total - last) / Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds;
                // Named after the middle of the interval, so the tick that lands just after a phase ends still names it.
                var middle = lastAt + ((now - lastAt) / 2);
                var phase = clock.IsWarmup(middle) ? "warm-up  " : middle < clock.MeasureEnd ? "measuring" : "draining ";
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {Stopwatch.GetElapsedTime(clock.Start, now).TotalSeconds,6:F1} s  {phase}  {rate,10:N0} req/s   measured {Volatile.Read(ref measured),10:N0}   failed {Volatile.Read(ref failed):N0}"));
                (last, lastAt) = (total, now);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
