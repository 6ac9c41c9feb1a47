using System.Globalization;
using Spectre.Console;

namespace Registry.LoadTests.Planning;

/// <summary>
/// Shows a phase's progress while it runs: a Spectre.Console progress bar on a terminal, a plain line every few seconds
/// when the output is redirected (a test, a log file), where redrawing would only fill the file with escape codes.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(250);

    public static async Task ShowWhileAsync(PhaseProgress progress, Task work, TextWriter plain)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            while (await Task.WhenAny(work, Task.Delay(PlainInterval)) != work)
            {
                await plain.WriteLineAsync(Line(progress));
            }

            await plain.WriteLineAsync(Line(progress));
            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async display =>
            {
                var bar = display.AddTask(Markup.Escape(progress.Phase), maxValue: 1);
                do
                {
                    bar.MaxValue = Math.Max(1, progress.Total);
                    bar.Value = Math.Min(progress.Done, bar.MaxValue);
                    bar.Description = Markup.Escape($"{progress.Phase}: {progress.Status}");
                }
                while (await Task.WhenAny(work, Task.Delay(BarInterval)) != work);

                bar.Value = bar.MaxValue;
            });
    }

    private static string Line(PhaseProgress progress) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{progress.Phase}: {progress.Done:N0}/{progress.Total:N0}{(progress.Total > 0 ? $" ({(double)progress.Done / progress.Total:P0})" : "")} {progress.Status}");
}
