using System.Globalization;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Reporting;

/// <summary>Requests per second over the measured window, one bar per block (or per group of blocks on long runs).</summary>
internal static class ThroughputChart
{
    /// <summary>More bars than this are merged in groups, so an hour-long run still gives a chart one can read.</summary>
    private const int MaxBars = 60;

    public static string Render(RunResult result, int width = 50) => BarChart.Render(Rows(result), width);

    /// <summary>Seconds of measured time each bar covers.</summary>
    public static TimeSpan BarWidth(RunResult result) => result.Settings.Block * GroupSize(result);

    private static int GroupSize(RunResult result) => Math.Max(1, (result.Blocks.Count + MaxBars - 1) / MaxBars);

    private static List<(string Label, double Value, string Note)> Rows(RunResult result) =>
        [.. result.Blocks
            .Chunk(GroupSize(result))
            .Select(static group =>
            {
                var requests = group.Sum(static block => block.Stats.Requests);
                var failed = group.Sum(static block => block.Stats.Failed);
                var seconds = group.Sum(static block => block.Length.TotalSeconds);
                var label = string.Create(CultureInfo.InvariantCulture, $"{group[0].From.TotalSeconds:F0} s");
                return (label, seconds > 0 ? requests / seconds : 0, failed > 0 ? $"({Formats.Count(failed)} failed)" : "");
            })];
}
