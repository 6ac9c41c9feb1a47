using System.Globalization;
using System.Text;
using System.Text.Json;
using Registry.LoadTests.Planning;

namespace Registry.LoadTests.Reporting;

/// <summary>The files of one planner report.</summary>
internal sealed record PlanReportFiles(string Markdown, string Json, IReadOnlyList<string> Charts);

/// <summary>Writes a planner run's report into its folder: <c>report.md</c>, <c>report.json</c> and the charts the Markdown embeds.</summary>
internal static class PlanReportWriter
{
    public static async Task<PlanReportFiles> WriteAsync(PlanReport report, IReadOnlyList<OperationSummary> operations, IReadOnlyList<ProcessSeries> processes, string folder)
    {
        Directory.CreateDirectory(folder);
        IReadOnlyList<(string File, string Caption)> charts;
        try
        {
            charts = PlanCharts.Draw(report, operations, processes, folder);
        }
        catch (Exception exception) when (exception is TypeInitializationException or DllNotFoundException or InvalidOperationException)
        {
            // Without Skia's native library the figures are still worth having.
            charts = [];
            await Console.Error.WriteLineAsync($"Charts not drawn: {exception.Message}");
        }

        var json = Path.Combine(folder, "report.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, PlanReportJson.Default.PlanReport), CancellationToken.None);
        var markdown = Path.Combine(folder, "report.md");
        await File.WriteAllTextAsync(markdown, Render(report, charts), CancellationToken.None);
        return new PlanReportFiles(markdown, json, [.. charts.Select(chart => Path.Combine(folder, chart.File))]);
    }

    public static string Render(PlanReport report, IReadOnlyList<(string File, string Caption)> charts)
    {
        var culture = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(culture));
        Line($"# Planner scenario: {report.Scenario}");
        md.AppendLine();
        md.AppendLine(report.Description);
        md.AppendLine();
        Line($"Run `{report.RunId}`, seed {report.Seed}, started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {report.WallSeconds:N0} s in all.");
        md.AppendLine();
        md.AppendLine(report.Passed
            ? "**Result: passed** — every phase ran to its end and every invariant held."
            : "**Result: FAILED** — see the phases and the invariant check below.");
        md.AppendLine();

        md.AppendLine("## Invariant check").AppendLine().AppendLine("| invariant | held | found | attempts | seconds |").AppendLine("|---|---|---|--:|--:|");
        foreach (var invariant in report.Invariants)
        {
            Line($"| {invariant.Name} | {(invariant.Passed ? "yes" : "**no**")} | {Cell(invariant.Detail)} | {invariant.Attempts} | {invariant.Seconds:N1} |");
        }

        md.AppendLine().AppendLine("## Phases").AppendLine().AppendLine("| phase | ended | seconds |").AppendLine("|---|---|--:|");
        foreach (var phase in report.Phases)
        {
            Line($"| {phase.Name} | {(phase.Succeeded ? "completed" : "**" + Cell(phase.Failure ?? "failed") + "**")} | {phase.Seconds:N1} |");
        }

        md.AppendLine().AppendLine("## Parameters").AppendLine().AppendLine("| parameter | value |").AppendLine("|---|---|");
        foreach (var parameter in report.Parameters)
        {
            Line($"| {parameter.Name} | {Cell(parameter.Value)} |");
        }

        if (report.Comparisons.Count > 0)
        {
            md.AppendLine().AppendLine("## Baseline").AppendLine().AppendLine("| | |").AppendLine("|---|---|");
            foreach (var comparison in report.Comparisons)
            {
                Line($"| {comparison.Name} | {Cell(comparison.Value)} |");
            }
        }

        md.AppendLine().AppendLine("## Operations").AppendLine()
            .AppendLine("Latency of successful operations (HdrHistogram), from the request's start to its answer; the rate is successes per second from an operation's first success to its last.")
            .AppendLine().AppendLine("| operation | succeeded | failed | per second | p50 ms | p95 ms | p99 ms | max ms |").AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var operation in report.Operations)
        {
            Line($"| {operation.Name} | {operation.Succeeded:N0} | {operation.Failed:N0} | {operation.SucceededPerSecond:N1} | {operation.P50Ms:N1} | {operation.P95Ms:N1} | {operation.P99Ms:N1} | {operation.MaxMs:N1} |");
        }

        md.AppendLine().AppendLine("## Errors by kind").AppendLine();
        if (report.Errors.Count == 0)
        {
            md.AppendLine("None.");
        }
        else
        {
            md.AppendLine("| operation | kind | count | first detail |").AppendLine("|---|---|--:|---|");
            foreach (var error in report.Errors)
            {
                Line($"| {error.Operation} | {Cell(error.Kind)} | {error.Count:N0} | {Cell(error.FirstDetail ?? "")} |");
            }
        }

        if (charts.Count > 0)
        {
            md.AppendLine().AppendLine("## Charts").AppendLine();
            foreach (var (file, caption) in charts)
            {
                md.AppendLine(culture, $"![{caption}]({file})").AppendLine();
            }
        }

        md.AppendLine("## Marked events").AppendLine().AppendLine("| second | event |").AppendLine("|--:|---|");
        foreach (var marked in report.Events)
        {
            Line($"| {marked.Second:N1} | {Cell(marked.Label)} |");
        }

        if (report.Flows.Count > 0)
        {
            var provinces = report.Flows.SelectMany(static flow => new[] { flow.From, flow.To }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            md.AppendLine().AppendLine("## Origin–destination").AppendLine()
                .AppendLine(culture, $"People whose move was acknowledged, by province of origin and destination: {report.Flows.Sum(static flow => flow.People):N0} in {report.Flows.Count:N0} pairs. The largest pairs:")
                .AppendLine().AppendLine("| from | to | people |").AppendLine("|---|---|--:|");
            foreach (var flow in report.Flows.Take(25))
            {
                Line($"| {flow.From} | {flow.To} | {flow.People:N0} |");
            }

            md.AppendLine().AppendLine("Per province (arrivals − departures = net):").AppendLine()
                .AppendLine("| province | departures | arrivals | net |").AppendLine("|---|--:|--:|--:|");
            foreach (var province in provinces
                .Select(code => (Code: code, Out: report.Flows.Where(flow => flow.From == code).Sum(static flow => flow.People), In: report.Flows.Where(flow => flow.To == code).Sum(static flow => flow.People)))
                .OrderByDescending(static province => province.In - province.Out))
            {
                Line($"| {province.Code} | {province.Out:N0} | {province.In:N0} | {province.In - province.Out:+#,0;-#,0;0} |");
            }
        }

        md.AppendLine().AppendLine("## Processes").AppendLine()
            .AppendLine("CPU from /proc (a silo's or the API's own; PostgreSQL's postmaster with every backend, exited ones included), in cores = CPU seconds per second; memory is the resident set, for PostgreSQL the proportional set summed over its processes.")
            .AppendLine().AppendLine("| process | pid | CPU s | average cores | peak cores | peak memory MiB |").AppendLine("|---|--:|--:|--:|--:|--:|");
        foreach (var process in report.Processes)
        {
            Line($"| {Cell(process.Name)} | {process.Pid} | {process.CpuSeconds:N1} | {process.AverageCores:N2} | {process.PeakCores:N2} | {process.PeakMemoryMiB:N0} |{(process.Problem is null ? "" : " " + process.Problem)}");
        }

        md.AppendLine().AppendLine("## Machine").AppendLine().AppendLine("| | |").AppendLine("|---|---|");
        Line($"| logical cores | {report.Machine.LogicalCores} |");
        Line($"| memory available | {report.Machine.MemoryBytes / 1073741824d:N1} GiB |");
        Line($"| CPU | {report.Machine.CpuModel ?? "unknown"} |");
        Line($"| OS | {report.Machine.OperatingSystem} ({report.Machine.Architecture}) |");
        Line($"| .NET | {report.Machine.Runtime}, {report.Machine.GarbageCollector} GC |");
        md.AppendLine().AppendLine("## Reproduce").AppendLine().AppendLine("```sh").AppendLine("cluster-config/up.sh").AppendLine(report.Reproduce).AppendLine("```");
        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
