using HdrHistogram;

namespace Registry.LoadTests.Running;

/// <summary>Why the workers stopped starting requests.</summary>
internal enum StopReason
{
    DurationElapsed,
    RequestCapReached,
    Cancelled,
}

/// <summary>One block of the measured window, all workers added up.</summary>
/// <param name="Index">0-based position in the measured window.</param>
/// <param name="From">Offset of the block from the end of the warm-up.</param>
/// <param name="Length">Usually the block width; shorter for the last block of a run that stopped early.</param>
/// <param name="Stats">Counts of the requests started in the block.</param>
internal sealed record BlockSummary(int Index, TimeSpan From, TimeSpan Length, BlockStats Stats)
{
    public double RequestsPerSecond => Length > TimeSpan.Zero ? Stats.Requests / Length.TotalSeconds : 0;
}

/// <summary>Latency of the successful requests with one label (one kind of request in a mixed scenario).</summary>
internal sealed record LabelLatency(string Label, LongHistogram Latency);

/// <summary>Everything a report needs about one finished run. Only requests started in the measured window count.</summary>
internal sealed record RunResult(
    string Scenario,
    string ScenarioDescription,
    IReadOnlyList<KeyValuePair<string, string>> ScenarioParameters,
    RunSettings Settings,
    string RunId,
    DateTimeOffset StartedAt,
    StopReason StopReason,
    TimeSpan MeasuredWindow,
    long WarmupRequests,
    long WarmupFailed,
    LongHistogram SucceededLatency,
    IReadOnlyList<LabelLatency> SucceededLatencyByLabel,
    IReadOnlyList<BlockSummary> Blocks,
    IReadOnlyList<ErrorSummary> Errors,
    TimeSpan WallTime,
    TimeSpan LoadGeneratorCpu)
{
    public long Requests => Blocks.Sum(static block => block.Stats.Requests);

    public long Failed => Blocks.Sum(static block => block.Stats.Failed);

    public long Succeeded => Requests - Failed;

    public double RequestsPerSecond => PerSecond(Requests);

    public double SucceededPerSecond => PerSecond(Succeeded);

    public double FailedShare => Requests == 0 ? 0 : (double)Failed / Requests;

    private double PerSecond(long count) => MeasuredWindow > TimeSpan.Zero ? count / MeasuredWindow.TotalSeconds : 0;
}
