using System.Diagnostics;

namespace Registry.LoadTests.Running;

/// <summary>
/// Phase boundaries of one run on the <see cref="Stopwatch"/> timeline: warm-up from the start, then the
/// measured window cut into blocks. A request belongs to the phase and block in which it started.
/// </summary>
internal sealed class RunClock
{
    public RunClock(long start, TimeSpan warmup, TimeSpan duration, TimeSpan block)
    {
        Start = start;
        WarmupEnd = start + ToTimestamp(warmup);
        MeasureEnd = WarmupEnd + ToTimestamp(duration);
        BlockLength = ToTimestamp(block);
        BlockCount = (int)((MeasureEnd - WarmupEnd + BlockLength - 1) / BlockLength);
    }

    public long Start { get; }

    public long WarmupEnd { get; }

    public long MeasureEnd { get; }

    public long BlockLength { get; }

    public int BlockCount { get; }

    public bool IsWarmup(long timestamp) => timestamp < WarmupEnd;

    public int BlockOf(long timestamp) => (int)Math.Clamp((timestamp - WarmupEnd) / BlockLength, 0, BlockCount - 1);

    public static long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static TimeSpan ToTimeSpan(long timestamps) => TimeSpan.FromSeconds((double)timestamps / Stopwatch.Frequency);
}
