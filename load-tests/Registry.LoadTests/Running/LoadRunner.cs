using System.Diagnostics;
using HdrHistogram;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Running;

/// <summary>
/// Runs a scenario the way Orleans' DistributedTests do: N workers, each issuing one request at a time
/// in a closed loop, a warm-up whose results are thrown away, then a measured window cut into blocks.
/// Bounded three ways: no request starts after the duration, none beyond the request cap, and a hard
/// stop cancels whatever is still in flight one request timeout after the duration.
/// </summary>
internal static class LoadRunner
{
    /// <summary>
    /// Pause of a worker after a request got no answer at all. Without it a dead target (closed port) turns
    /// every worker into a busy loop of refused connections, burning the cores the cluster shares with us.
    /// </summary>
    private static readonly TimeSpan PauseAfterNoResponse = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>Slack on top of duration and request timeout before in-flight requests are cancelled.</summary>
    private static readonly TimeSpan HardStopSlack = TimeSpan.FromSeconds(5);

    public static async Task<RunResult> RunAsync<TWorker>(
        ILoadScenario<TWorker> scenario,
        ScenarioContext context,
        RunSettings settings,
        TextWriter progressOutput,
        CancellationToken cancellationToken)
    {
        var workers = new TWorker[settings.Concurrency];
        for (var index = 0; index < workers.Length; index++)
        {
            workers[index] = await scenario.CreateWorkerAsync(context, index, cancellationToken);
        }

        var startedAt = DateTimeOffset.UtcNow;
        var cpuBefore = ProcessCpu();
        var clock = new RunClock(Stopwatch.GetTimestamp(), settings.Warmup, settings.Duration, settings.Block);
        var budget = new RequestBudget(settings.MaxRequests);
        var progress = new ProgressCounters();
        var recorders = workers.Select(_ => new WorkerRecorder(clock)).ToArray();

        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(settings.Warmup + settings.Duration + settings.RequestTimeout + HardStopSlack);

        using var progressStop = new CancellationTokenSource();
        var printing = progress.PrintAsync(clock, ProgressInterval, progressOutput, progressStop.Token);

        await Task.WhenAll(workers.Select((worker, index) =>
            RunWorkerAsync(scenario, worker, clock, budget, recorders[index], progress, hardStop.Token)));

        await progressStop.CancelAsync();
        await printing;
        var wallTime = Stopwatch.GetElapsedTime(clock.Start);
        var loadGeneratorCpu = ProcessCpu() - cpuBefore;

        // Every request has ended (committed, rolled back or cancelled), so an invariant of the target can be checked now.
        // Not the run's token: a run cut short by Ctrl+C is exactly the one whose state is worth checking.
        // A check that throws (a grain call timing out on a cold cluster) is a finding of the run, not the end of the
        // program: the report is written with the failure in it.
        string? checkFailure = null;
        if (scenario is ICheckedAfterRun checkedAfterRun)
        {
            try
            {
                await checkedAfterRun.CheckAfterRunAsync(progressOutput, CancellationToken.None);
            }
            catch (Exception exception)
            {
                checkFailure = $"{exception.GetType().Name}: {exception.Message}";
                await progressOutput.WriteLineAsync($"The check after the run failed: {checkFailure}");
            }
        }

        var stopReason = cancellationToken.IsCancellationRequested ? StopReason.Cancelled
            : budget.ExhaustedAt is not null ? StopReason.RequestCapReached
            : StopReason.DurationElapsed;

        // The measured window ends when requests stopped being started: at the duration, when the cap was
        // hit, or when the user cancelled. Requests still in flight then finish and count in their block.
        var windowEnd = stopReason switch
        {
            StopReason.RequestCapReached => Math.Min(budget.ExhaustedAt!.Value, clock.MeasureEnd),
            StopReason.Cancelled => Math.Min(recorders.Max(static recorder => recorder.StoppedIssuingAt), clock.MeasureEnd),
            _ => clock.MeasureEnd,
        };

        return new RunResult(
            scenario.Name,
            scenario.Description,
            [.. scenario.DescribeParameters(), .. checkFailure is null ? Array.Empty<KeyValuePair<string, string>>() : [new("check after the run", "**failed**: " + checkFailure)]],
            settings,
            context.RunId,
            startedAt,
            stopReason,
            RunClock.ToTimeSpan(Math.Max(0, windowEnd - clock.WarmupEnd)),
            recorders.Sum(static recorder => recorder.WarmupRequests),
            recorders.Sum(static recorder => recorder.WarmupFailed),
            MergeLatency(recorders),
            MergeLatencyByLabel(recorders),
            MergeBlocks(recorders, clock, windowEnd),
            MergeErrors(recorders),
            wallTime,
            loadGeneratorCpu);
    }

    private static async Task RunWorkerAsync<TWorker>(
        ILoadScenario<TWorker> scenario,
        TWorker worker,
        RunClock clock,
        RequestBudget budget,
        WorkerRecorder recorder,
        ProgressCounters progress,
        CancellationToken cancellationToken)
    {
        // Let every worker be created before any of them starts its first request.
        await Task.Yield();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= clock.MeasureEnd || !budget.TryTake())
                {
                    break;
                }

                RequestOutcome outcome;
                try
                {
                    outcome = await scenario.IssueOneAsync(worker, cancellationToken);
                }
                catch (Exception exception) when (TransportFailure.TryClassify(exception, cancellationToken, out var failure))
                {
                    outcome = failure;
                }

                recorder.Record(started, Stopwatch.GetTimestamp(), outcome);
                progress.Count(clock, started, outcome.Succeeded);

                if (outcome.Kind == OutcomeKind.NoResponse)
                {
                    await Task.Delay(PauseAfterNoResponse, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the user or the hard stop: the request in flight is dropped, not counted.
        }
        finally
        {
            recorder.StoppedIssuingAt = Stopwatch.GetTimestamp();
        }
    }

    private static LongHistogram MergeLatency(WorkerRecorder[] recorders)
    {
        var merged = LatencyHistogram.Create();
        foreach (var recorder in recorders)
        {
            merged.Add(recorder.SucceededLatency);
        }

        return merged;
    }

    /// <summary>One histogram per success label, the most frequent first.</summary>
    private static List<LabelLatency> MergeLatencyByLabel(WorkerRecorder[] recorders)
    {
        var merged = new Dictionary<string, LongHistogram>(StringComparer.Ordinal);
        foreach (var (label, histogram) in recorders.SelectMany(static recorder => recorder.SucceededLatencyByLabel))
        {
            if (!merged.TryGetValue(label, out var total))
            {
                total = LatencyHistogram.Create();
                merged.Add(label, total);
            }

            total.Add(histogram);
        }

        return [.. merged
            .Select(static entry => new LabelLatency(entry.Key, entry.Value))
            .OrderByDescending(static entry => entry.Latency.TotalCount)
            .ThenBy(static entry => entry.Label, StringComparer.Ordinal)];
    }

    private static List<BlockSummary> MergeBlocks(WorkerRecorder[] recorders, RunClock clock, long windowEnd)
    {
        var blocks = new List<BlockSummary>(clock.BlockCount);
        for (var index = 0; index < clock.BlockCount; index++)
        {
            var from = clock.WarmupEnd + (index * clock.BlockLength);
            var length = Math.Min(clock.BlockLength, windowEnd - from);
            if (length <= 0)
            {
                break;
            }

            var stats = new BlockStats();
            foreach (var recorder in recorders)
            {
                stats.Add(recorder.Blocks[index]);
            }

            blocks.Add(new BlockSummary(index, RunClock.ToTimeSpan(from - clock.WarmupEnd), RunClock.ToTimeSpan(length), stats));
        }

        return blocks;
    }

    private static List<ErrorSummary> MergeErrors(WorkerRecorder[] recorders) =>
        [.. recorders
            .SelectMany(static recorder => recorder.Errors.Values)
            .GroupBy(static error => error.Label, StringComparer.Ordinal)
            .Select(static group => group.First() with { Count = group.Sum(static error => error.Count) })
            .OrderByDescending(static error => error.Count)];

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
