using HdrHistogram;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Reporting;

/// <summary>The few lines a person at the terminal wants after a run; the report has the rest.</summary>
internal static class ConsoleSummary
{
    public static void Write(RunResult result, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{result.Scenario}: {Formats.Count(result.Requests)} requests in {Formats.Seconds(result.MeasuredWindow)} = {Formats.Rate(result.RequestsPerSecond)} requests/s; "
            + $"failed {Formats.Count(result.Failed)} ({Formats.Percent(result.FailedShare)}); stopped because {MarkdownReport.Describe(result.StopReason)}.");

        var latency = result.SucceededLatency;
        output.WriteLine(latency.TotalCount == 0
            ? "latency: no successful request measured"
            : $"latency ms: p50 {Ms(latency, 50)}  p90 {Ms(latency, 90)}  p99 {Ms(latency, 99)}  p99.9 {Ms(latency, 99.9)}  max {Formats.Millis(latency.GetMaxValue())}");

        if (result.SucceededLatencyByLabel.Count > 1)
        {
            foreach (var (label, byLabel) in result.SucceededLatencyByLabel)
            {
                output.WriteLine($"  {label}: {Formats.Count(byLabel.TotalCount)} requests, p50 {Ms(byLabel, 50)}  p99 {Ms(byLabel, 99)} ms");
            }
        }

        foreach (var error in result.Errors.Take(5))
        {
            output.WriteLine($"  {Formats.Count(error.Count),10} × {error.Label}{(error.FirstDetail is null ? "" : " — " + error.FirstDetail)}");
        }

        if (result.Errors.Count > 5)
        {
            output.WriteLine($"  … and {result.Errors.Count - 5} more kinds of error in the report");
        }

        if (result.Blocks.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"requests/s per {Formats.Seconds(ThroughputChart.BarWidth(result))}:");
            output.Write(ThroughputChart.Render(result, width: 40));
        }
    }

    private static string Ms(LongHistogram latency, double percentile) => Formats.Millis(latency.GetValueAtPercentile(percentile));
}
