using System.Text;

namespace Registry.LoadTests.Reporting;

/// <summary>
/// Horizontal bars in Unicode block characters, eighth-cell resolution, for a terminal or a Markdown code
/// block. Readable without a plotting library and diff-able in a committed report.
/// </summary>
internal static class BarChart
{
    private const string Eighths = " ▏▎▍▌▋▊▉";

    /// <param name="rows">Label, value, and a note printed after the value (e.g. failures).</param>
    /// <param name="width">Characters of the longest bar.</param>
    public static string Render(IReadOnlyList<(string Label, double Value, string Note)> rows, int width = 50)
    {
        var chart = new StringBuilder();
        if (rows.Count == 0)
        {
            return chart.ToString();
        }

        var max = rows.Max(static row => row.Value);
        var labelWidth = rows.Max(static row => row.Label.Length);
        foreach (var (label, value, note) in rows)
        {
            var eighths = max <= 0 ? 0 : (int)Math.Round(value / max * width * 8);
            chart.Append(label.PadLeft(labelWidth)).Append(" │");
            chart.Append('█', eighths / 8);
            if (eighths % 8 != 0)
            {
                chart.Append(Eighths[eighths % 8]);
            }

            var drawn = (eighths / 8) + (eighths % 8 != 0 ? 1 : 0);
            chart.Append(' ', width - drawn + 1).Append(Formats.Rate(value));
            if (note.Length > 0)
            {
                chart.Append("  ").Append(note);
            }

            chart.Append('\n');
        }

        return chart.ToString();
    }
}
