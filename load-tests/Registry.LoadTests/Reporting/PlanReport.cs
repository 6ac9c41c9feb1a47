using System.Globalization;
using HdrHistogram;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.LoadTests.Planning;

namespace Registry.LoadTests.Reporting;

/// <summary>One operation's figures: counts, rate, latency percentiles of its successes in milliseconds.</summary>
internal sealed record OperationFigures(string Name, long Succeeded, long Failed, double SucceededPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs, long[] SucceededBySecond);

/// <summary>Failures of one operation of one kind.</summary>
internal sealed record ErrorFigures(string Operation, string Kind, long Count, string? FirstDetail);

/// <summary>One process's CPU and memory over the run.</summary>
internal sealed record ProcessFigures(string Name, int Pid, double CpuSeconds, double AverageCores, double PeakCores, double PeakMemoryMiB, string? Problem);

/// <summary>A name and its value, for the parameters and comparisons.</summary>
internal sealed record NamedValue(string Name, string Value);

/// <summary>Everything a planner run's report says, as written to its JSON file; the Markdown renders the same.</summary>
internal sealed record PlanReport(
    string Scenario,
    string Description,
    string RunId,
    int Seed,
    DateTimeOffset StartedAt,
    double WallSeconds,
    bool Passed,
    IReadOnlyList<NamedValue> Parameters,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<OperationFigures> Operations,
    IReadOnlyList<ErrorFigures> Errors,
    IReadOnlyList<MarkedEvent> Events,
    IReadOnlyList<Flow> Flows,
    IReadOnlyList<ProcessFigures> Processes,
    IReadOnlyList<InvariantResult> Invariants,
    IReadOnlyList<NamedValue> Comparisons,
    MachineInfo Machine,
    string Reproduce)
{
    public static PlanReport Create(
        PlannedScenario scenario, PlanSettings settings, DateTimeOffset startedAt, TimeSpan wall, IReadOnlyList<PhaseResult> phases,
        IReadOnlyList<OperationSummary> operations, IReadOnlyList<MarkedEvent> events, IReadOnlyList<Flow> flows, IReadOnlyList<ProcessSeries> processes,
        IReadOnlyList<InvariantResult> invariants, MachineInfo machine, string reproduce)
    {
        static double Ms(LongHistogram histogram, double percentile) =>
            histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000d;

        IReadOnlyList<NamedValue> parameters;
        IReadOnlyList<NamedValue> comparisons;
        try
        {
            parameters = [.. settings.Target.Concat(scenario.DescribeParameters()).Select(static entry => new NamedValue(entry.Key, entry.Value))];
            comparisons = [.. scenario.DescribeComparisons().Select(static entry => new NamedValue(entry.Key, entry.Value))];
        }
        catch (Exception exception) when (exception is InvalidOperationException or NullReferenceException or ArgumentException)
        {
            // A scenario cut short may not have what it describes; the report is written all the same.
            parameters = [new("parameters", $"not described: {exception.Message}")];
            comparisons = [];
        }

        return new PlanReport(
            scenario.Name,
            scenario.Description,
            settings.RunId,
            settings.Seed,
            startedAt,
            wall.TotalSeconds,
            phases.All(static phase => phase.Succeeded) && invariants.All(static invariant => invariant.Passed),
            parameters,
            phases,
            [.. operations.Select(static operation => new OperationFigures(
                operation.Name, operation.Succeeded, operation.Failed, operation.SucceededPerSecond,
                Ms(operation.Latency, 50), Ms(operation.Latency, 95), Ms(operation.Latency, 99),
                operation.Latency.TotalCount == 0 ? 0 : operation.Latency.GetMaxValue() / 1000d, operation.SucceededBySecond))],
            [.. operations.SelectMany(static operation => operation.Errors.Select(error => new ErrorFigures(operation.Name, error.Label, error.Count, error.FirstDetail)))],
            events,
            flows,
            [.. processes.Select(static series => new ProcessFigures(
                series.Process.Name, series.Process.Pid, series.CpuSeconds, series.AverageCores, series.PeakCores, series.PeakMemoryMiB, series.Problem))],
            invariants,
            comparisons,
            machine,
            reproduce);
    }

    /// <summary>A few lines for the console: the verdict, each operation's rate and p99, the comparisons.</summary>
    public IEnumerable<string> Headlines()
    {
        yield return Passed ? "PASSED: every phase ran and every invariant held." : "FAILED: " + string.Join("; ",
            Phases.Where(static phase => !phase.Succeeded && phase.Failure is not null).Select(static phase => $"{phase.Name}: {phase.Failure}")
                .Concat(Invariants.Where(static invariant => !invariant.Passed).Select(static invariant => $"{invariant.Name}: {invariant.Detail}")));
        foreach (var operation in Operations)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {operation.Name}: {operation.Succeeded:N0} ok, {operation.Failed:N0} failed, {operation.SucceededPerSecond:N1}/s, p50 {operation.P50Ms:N1} ms, p99 {operation.P99Ms:N1} ms");
        }

        foreach (var comparison in Comparisons)
        {
            yield return $"  {comparison.Name}: {comparison.Value}";
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PlanReport))]
internal sealed partial class PlanReportJson : JsonSerializerContext;
