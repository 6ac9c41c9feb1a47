using System.Globalization;
using System.Text;
using HdrHistogram;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Reporting;

/// <summary>
/// The report a capacity planner reads: what ran, on what, with which parameters, then the figures —
/// throughput, errors, latency percentiles, per-block throughput and a chart of it — and how to rerun it.
/// </summary>
internal static class MarkdownReport
{
    /// <summary>Percentiles of the latency table; p99.9 matters at registry scale (one request in a thousand is many callers).</summary>
    private static readonly (string Name, double Percentile)[] Percentiles =
        [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)];

    public static string Render(RunResult result, MachineInfo machine, string reproduceCommand)
    {
        var report = new StringBuilder();
        WriteTitle(report, result);
        WriteMachine(report, machine);
        WriteParameters(report, result);
        WriteThroughput(report, result);
        WriteErrors(report, result);
        WriteLatency(report, result.SucceededLatency);
        WriteLatencyByLabel(report, result);
        WriteBlocks(report, result);
        WriteChart(report, result);
        WriteReproduce(report, result.Settings.Prerequisite, reproduceCommand);
        return report.ToString();
    }

    private static void WriteTitle(StringBuilder report, RunResult result)
    {
        report.Append(CultureInfo.InvariantCulture, $"# Load test: {result.Scenario}\n\n");
        report.Append(CultureInfo.InvariantCulture, $"{result.ScenarioDescription}\n\n");
        report.Append(CultureInfo.InvariantCulture, $"Run `{result.RunId}`, started {result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC against {result.Settings.Target}. ");
        report.Append("Only requests started in the measured window count; warm-up results are discarded. ");
        report.Append("Latency is measured by the load generator from sending a request to reading its whole answer.\n\n");
    }

    internal static void WriteMachine(StringBuilder report, MachineInfo machine)
    {
        report.Append("## Machine\n\n| | |\n|---|---|\n");
        Row(report, "logical cores", machine.LogicalCores.ToString(CultureInfo.InvariantCulture));
        Row(report, "memory available to the process", Formats.GiB(machine.MemoryBytes));
        Row(report, "CPU", machine.CpuModel ?? "unknown");
        Row(report, "OS", $"{machine.OperatingSystem} ({machine.Architecture})");
        Row(report, ".NET", $"{machine.Runtime}, {machine.GarbageCollector} GC");
        report.Append("\nThe load generator usually shares this machine with the cluster it loads (`cluster-config/up.sh`), ");
        report.Append("so its own CPU use, in the throughput section, is CPU the cluster did not have.\n\n");
    }

    private static void WriteParameters(StringBuilder report, RunResult result)
    {
        var settings = result.Settings;
        report.Append("## Parameters\n\n| parameter | value |\n|---|---|\n");
        Row(report, "scenario", $"`{result.Scenario}`");
        Row(report, "target", settings.Target);
        Row(report, "concurrency", $"{settings.Concurrency} workers, one request in flight each");
        Row(report, "warm-up", $"{Formats.Seconds(settings.Warmup)} (discarded)");
        Row(report, "measured duration", Formats.Seconds(settings.Duration));
        Row(report, "request cap", $"{Formats.Count(settings.MaxRequests)} requests, warm-up included");
        Row(report, "block", Formats.Seconds(settings.Block));
        Row(report, "request timeout", Formats.Seconds(settings.RequestTimeout));
        Row(report, "seed", settings.Seed.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in result.ScenarioParameters)
        {
            Row(report, Cell(name), Cell(value));
        }

        report.Append('\n');
    }

    private static void WriteThroughput(StringBuilder report, RunResult result)
    {
        report.Append("## Throughput\n\n| | |\n|---|---|\n");
        Row(report, "measured requests", Formats.Count(result.Requests));
        Row(report, "**throughput**", $"**{Formats.Rate(result.RequestsPerSecond)} requests/s**");
        Row(report, "succeeded", $"{Formats.Count(result.Succeeded)} ({Formats.Rate(result.SucceededPerSecond)}/s)");
        Row(report, "failed", $"{Formats.Count(result.Failed)} ({Formats.Percent(result.FailedShare)})");
        Row(report, "measured window", Formats.Seconds(result.MeasuredWindow));
        Row(report, "stopped because", Describe(result.StopReason));
        Row(report, "warm-up requests (discarded)", $"{Formats.Count(result.WarmupRequests)} ({Formats.Count(result.WarmupFailed)} failed)");
        Row(report, "wall time", Formats.Seconds(result.WallTime));
        Row(report, "load generator CPU", string.Create(
            CultureInfo.InvariantCulture,
            $"{Formats.Seconds(result.LoadGeneratorCpu)} ({result.LoadGeneratorCpu / result.WallTime:P0} of one core over the run)"));
        report.Append('\n');
    }

    private static void WriteErrors(StringBuilder report, RunResult result)
    {
        report.Append("## Errors\n\n");
        if (result.Errors.Count == 0)
        {
            report.Append("None: every measured request got the expected answer.\n\n");
            return;
        }

        report.Append("| outcome | kind | count | share | first answer or exception |\n|---|---|--:|--:|---|\n");
        foreach (var error in result.Errors)
        {
            report.Append(CultureInfo.InvariantCulture, $"| {Cell(error.Label)} | {error.Kind} | {Formats.Count(error.Count)} | {Formats.Percent((double)error.Count / result.Requests)} | {Cell(error.FirstDetail ?? "")} |\n");
        }

        report.Append('\n');
    }

    private static void WriteLatency(StringBuilder report, LongHistogram latency)
    {
        report.Append("## Latency of successful requests (ms)\n\n");
        if (latency.TotalCount == 0)
        {
            report.Append("No successful request was measured.\n\n");
            return;
        }

        report.Append("| ").AppendJoin(" | ", Percentiles.Select(static p => p.Name)).Append(" | max | mean | requests |\n");
        report.Append('|').Append(string.Concat(Enumerable.Repeat("--:|", Percentiles.Length + 3))).Append('\n');
        report.Append("| ").AppendJoin(" | ", Percentiles.Select(p => Formats.Millis(latency.GetValueAtPercentile(p.Percentile))));
        report.Append(CultureInfo.InvariantCulture, $" | {Formats.Millis(latency.GetMaxValue())} | {Formats.Millis(latency.GetMean())} | {Formats.Count(latency.TotalCount)} |\n\n");
        report.Append("Recorded in an HdrHistogram (3 significant digits), all workers merged.\n\n");
    }

    /// <summary>For scenarios that mix kinds of request: each kind's share, rate and latency.</summary>
    private static void WriteLatencyByLabel(StringBuilder report, RunResult result)
    {
        if (result.SucceededLatencyByLabel.Count < 2)
        {
            return;
        }

        report.Append("## Latency by kind of request (ms)\n\n");
        report.Append("| kind | ").AppendJoin(" | ", Percentiles.Select(static p => p.Name)).Append(" | max | mean | requests | requests/s |\n");
        report.Append("|---|").Append(string.Concat(Enumerable.Repeat("--:|", Percentiles.Length + 4))).Append('\n');
        foreach (var (label, latency) in result.SucceededLatencyByLabel)
        {
            var rate = result.MeasuredWindow > TimeSpan.Zero ? latency.TotalCount / result.MeasuredWindow.TotalSeconds : 0;
            report.Append(CultureInfo.InvariantCulture, $"| {Cell(label)} | ");
            report.AppendJoin(" | ", Percentiles.Select(p => Formats.Millis(latency.GetValueAtPercentile(p.Percentile))));
            report.Append(CultureInfo.InvariantCulture, $" | {Formats.Millis(latency.GetMaxValue())} | {Formats.Millis(latency.GetMean())} | {Formats.Count(latency.TotalCount)} | {Formats.Rate(rate)} |\n");
        }

        report.Append('\n');
    }

    private static void WriteBlocks(StringBuilder report, RunResult result)
    {
        report.Append(CultureInfo.InvariantCulture, $"## Throughput per {Formats.Seconds(result.Settings.Block)} block\n\n");
        if (result.Blocks.Count == 0)
        {
            report.Append("No measured block.\n\n");
            return;
        }

        report.Append("| from | requests | requests/s | failed | errors | mean ms | max ms |\n|--:|--:|--:|--:|---|--:|--:|\n");
        foreach (var block in result.Blocks)
        {
            var stats = block.Stats;
            var errors = stats.Errors.Count == 0
                ? "—"
                : string.Join(", ", stats.Errors.OrderByDescending(static e => e.Value).Select(static e => $"{e.Key} × {Formats.Count(e.Value)}"));
            report.Append(CultureInfo.InvariantCulture, $"| {Formats.Seconds(block.From)} | {Formats.Count(stats.Requests)} | {Formats.Rate(block.RequestsPerSecond)} | {Formats.Count(stats.Failed)} | {Cell(errors)} | {(stats.Succeeded == 0 ? "—" : Formats.Millis(stats.MeanLatencyMicros))} | {Formats.Millis(stats.MaxLatencyMicros)} |\n");
        }

        report.Append("\nMean is over successful requests; max over all requests of the block.\n\n");
    }

    private static void WriteChart(StringBuilder report, RunResult result)
    {
        if (result.Blocks.Count == 0)
        {
            return;
        }

        report.Append(CultureInfo.InvariantCulture, $"## Requests/s over time (one bar per {Formats.Seconds(ThroughputChart.BarWidth(result))})\n\n");
        report.Append("```text\n").Append(ThroughputChart.Render(result)).Append("```\n\n");
    }

    private static void WriteReproduce(StringBuilder report, string prerequisite, string command)
    {
        report.Append(CultureInfo.InvariantCulture, $"## Reproduce\n\n{prerequisite}, from the repository root:\n\n");
        report.Append("```sh\n").Append(command).Append("\n```\n");
    }

    public static string Describe(StopReason reason) => reason switch
    {
        StopReason.DurationElapsed => "the measured duration elapsed",
        StopReason.RequestCapReached => "the request cap was reached",
        StopReason.Cancelled => "it was cancelled (partial results)",
        _ => reason.ToString(),
    };

    private static void Row(StringBuilder report, string name, string value) =>
        report.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");

    /// <summary>Text from the server or an exception, made safe for one table cell.</summary>
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
