using System.Diagnostics;
using HdrHistogram;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Running;

/// <summary>
/// What one worker saw. Owned by that worker alone while it runs, so recording a request touches no
/// shared state (the shared progress counters aside); merged into a <see cref="RunResult"/> at the end.
/// </summary>
internal sealed class WorkerRecorder(RunClock clock)
{
    public LongHistogram SucceededLatency { get; } = LatencyHistogram.Create();

    /// <summary>
    /// The same latencies by success label, for scenarios that mix kinds of request (the label names the kind);
    /// one entry for the others.
    /// </summary>
    public Dictionary<string, LongHistogram> SucceededLatencyByLabel { get; } = new(StringComparer.Ordinal);

    public BlockStats[] Blocks { get; } = [.. Enumerable.Range(0, clock.BlockCount).Select(static _ => new BlockStats())];

    public Dictionary<string, ErrorSummary> Errors { get; } = new(StringComparer.Ordinal);

    public long WarmupRequests { get; private set; }

    public long WarmupFailed { get; private set; }

    /// <summary>When this worker stopped starting requests (deadline, budget or cancellation).</summary>
    public long StoppedIssuingAt { get; set; }

    public void Record(long started, long ended, RequestOutcome outcome)
    {
        if (clock.IsWarmup(started))
        {
            // Discarded from every figure but this count: the warm-up exists to hide cold starts.
            WarmupRequests++;
            WarmupFailed += outcome.Succeeded ? 0 : 1;
            return;
        }

        var micros = (long)Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds;
        Blocks[clock.BlockOf(started)].Record(outcome.Succeeded, outcome.Label, micros);
        if (outcome.Succeeded)
        {
            LatencyHistogram.Record(SucceededLatency, micros);
            if (!SucceededLatencyByLabel.TryGetValue(outcome.Label, out var byLabel))
            {
                byLabel = LatencyHistogram.Create();
                SucceededLatencyByLabel.Add(outcome.Label, byLabel);
            }

            LatencyHistogram.Record(byLabel, micros);
        }
        else
        {
            Errors[outcome.Label] = Errors.TryGetValue(outcome.Label, out var known)
                ? known with { Count = known.Count + 1 }
                : new ErrorSummary(outcome.Label, outcome.Kind, 1, outcome.Detail);
        }
    }
}

/// <summary>Failures with one label: how many, and what the first one said.</summary>
internal sealed record ErrorSummary(string Label, OutcomeKind Kind, long Count, string? FirstDetail);
