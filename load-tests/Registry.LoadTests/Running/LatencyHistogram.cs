using HdrHistogram;

namespace Registry.LoadTests.Running;

/// <summary>Latency histograms of a run: microseconds, 3 significant digits, from 1 µs to one minute.</summary>
internal static class LatencyHistogram
{
    /// <summary>Above any request timeout the CLI accepts, so no recorded value is ever clipped in practice.</summary>
    public const long HighestMicros = 60_000_000;

    public static LongHistogram Create() => new(1, HighestMicros, 3);

    public static void Record(LongHistogram histogram, long micros) =>
        histogram.RecordValue(Math.Clamp(micros, 1, HighestMicros));
}
