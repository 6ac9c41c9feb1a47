using Registry.LoadTests.Planning;
using ScottPlot;

namespace Registry.LoadTests.Reporting;

/// <summary>The charts of a planner report, drawn with ScottPlot as PNG files the Markdown embeds.</summary>
internal static class PlanCharts
{
    private const int Width = 1000;
    private const int Height = 450;

    /// <summary>Draws every chart the report has data for into <paramref name="folder"/>; returns file names and captions.</summary>
    public static IReadOnlyList<(string File, string Caption)> Draw(
        PlanReport report, IReadOnlyList<OperationSummary> operations, IReadOnlyList<ProcessSeries> processes, string folder)
    {
        var charts = new List<(string, string)>();
        if (operations.Count > 0)
        {
            charts.Add(Save(Throughput(operations, report.Events), folder, "throughput.png", "Successful operations per second over the run, with its marked events"));
            charts.Add(Save(Latency(report.Operations), folder, "latency.png", "Latency percentiles per operation (ms)"));
        }

        if (report.Flows.Count > 0)
        {
            charts.Add(Save(NetFlows(report.Flows), folder, "flows.png", "Net moves per province (arrivals − departures), the largest gains and losses"));
        }

        if (processes.Any(static series => series.Seconds.Length > 0))
        {
            charts.Add(Save(Cpu(processes, report.Events), folder, "processes.png", "CPU of each registry process over the run (cores)"));
        }

        return charts;
    }

    private static (string, string) Save(Plot plot, string folder, string file, string caption)
    {
        plot.SavePng(Path.Combine(folder, file), Width, Height);
        return (file, caption);
    }

    private static Plot Throughput(IReadOnlyList<OperationSummary> operations, IReadOnlyList<MarkedEvent> events)
    {
        var plot = new Plot();
        foreach (var operation in operations.Where(static operation => operation.SucceededBySecond.Length > 0))
        {
            double[] seconds = [.. Enumerable.Range(0, operation.SucceededBySecond.Length).Select(static second => (double)second)];
            double[] counts = [.. operation.SucceededBySecond.Select(static count => (double)count)];
            var line = plot.Add.Scatter(seconds, counts);
            line.LegendText = operation.Name;
            line.MarkerSize = 0;
        }

        Mark(plot, events);
        plot.Title("Throughput");
        plot.XLabel("seconds since the start of the run");
        plot.YLabel("successes per second");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot Latency(IReadOnlyList<OperationFigures> operations)
    {
        var plot = new Plot();
        var percentiles = new (string Name, Func<OperationFigures, double> Value)[] { ("p50", static o => o.P50Ms), ("p95", static o => o.P95Ms), ("p99", static o => o.P99Ms) };
        for (var p = 0; p < percentiles.Length; p++)
        {
            var bars = plot.Add.Bars(
                [.. operations.Select((_, index) => (index * (percentiles.Length + 1)) + p + 0d)],
                [.. operations.Select(percentiles[p].Value)]);
            bars.LegendText = percentiles[p].Name;
        }

        plot.Axes.Bottom.SetTicks(
            [.. operations.Select((_, index) => (index * (percentiles.Length + 1)) + 1d)],
            [.. operations.Select(static operation => operation.Name)]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Latency of successful operations");
        plot.YLabel("milliseconds");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot NetFlows(IReadOnlyList<Flow> flows)
    {
        var net = flows.SelectMany(static flow => new[] { (Code: flow.To, People: flow.People), (Code: flow.From, People: -flow.People) })
            .GroupBy(static entry => entry.Code, StringComparer.Ordinal)
            .Select(static group => (Code: group.Key, Net: group.Sum(static entry => entry.People)))
            .OrderByDescending(static province => Math.Abs(province.Net)).Take(20)
            .OrderBy(static province => province.Net).ToArray();
        var plot = new Plot();
        var bars = plot.Add.Bars([.. net.Select(static (_, index) => (double)index)], [.. net.Select(static province => (double)province.Net)]);
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks([.. net.Select(static (_, index) => (double)index)], [.. net.Select(static province => province.Code)]);
        plot.Title("Net moves per province");
        plot.XLabel("people (arrivals − departures)");
        return plot;
    }

    private static Plot Cpu(IReadOnlyList<ProcessSeries> processes, IReadOnlyList<MarkedEvent> events)
    {
        var plot = new Plot();
        foreach (var series in processes.Where(static series => series.Seconds.Length > 0))
        {
            var line = plot.Add.Scatter(series.Seconds, series.Cores);
            line.LegendText = series.Process.Name;
            line.MarkerSize = 0;
        }

        Mark(plot, events);
        plot.Title("CPU per process");
        plot.XLabel("seconds since the start of the run");
        plot.YLabel("cores");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void Mark(Plot plot, IReadOnlyList<MarkedEvent> events)
    {
        foreach (var marked in events)
        {
            var line = plot.Add.VerticalLine(marked.Second);
            line.LinePattern = LinePattern.Dashed;
            line.LabelText = marked.Label;
        }
    }
}
