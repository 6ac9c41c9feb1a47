using System.Diagnostics;
using Npgsql;
using Registry.LoadTests.Reporting;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Planning;

/// <summary>
/// Runs a planner scenario's phases — seed, run, check — with a progress display, records every operation, samples the
/// registry's processes, and writes the report whatever happened: a phase that throws (a timeout included) ends the
/// traffic and is reported as failed, the check still runs, and the check's own failures are findings of the report,
/// not exceptions.
/// </summary>
internal static class PlanRunner
{
    public static async Task<int> RunAsync(PlannedScenario scenario, HttpClient api, NpgsqlDataSource database, PlanSettings settings, CancellationToken cancellationToken)
    {
        var origin = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        var operations = new OperationLog(origin);
        var timeline = new RunTimeline(origin);
        var context = new PlanContext(api, database, settings.RunId, settings.Concurrency, settings.Seed, cancellationToken)
        {
            Operations = operations,
            Timeline = timeline,
        };
        Console.WriteLine($"{scenario.Name}: run {settings.RunId}, seed {settings.Seed}, {settings.Concurrency} workers; report in {settings.ReportFolder}");

        IReadOnlyList<WatchedProcess> watched;
        try
        {
            watched = await ProcessSampler.FindAsync(settings.Pids, database, cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            await Console.Error.WriteLineAsync($"PostgreSQL did not answer ({exception.Message}). Nothing was sent.");
            return ExitCodes.NotReady;
        }

        var sampler = new ProcessSampler(watched, operations);
        var phases = new List<PhaseResult>();
        foreach (var (name, phase) in new (string, Func<PlanContext, PhaseProgress, Task>)[] { ("seed", scenario.SeedAsync), ("run", scenario.RunAsync) })
        {
            timeline.Mark(name + " begins");
            var progress = new PhaseProgress(name);
            var clock = Stopwatch.StartNew();
            var work = Task.Run(() => phase(context, progress), CancellationToken.None);
            try
            {
                await ProgressDisplay.ShowWhileAsync(progress, work, Console.Out);
                await work;
                phases.Add(new PhaseResult(name, true, null, clock.Elapsed.TotalSeconds));
            }
            catch (Exception exception)
            {
                var reason = exception is OperationCanceledException && cancellationToken.IsCancellationRequested ? "cancelled" : $"{exception.GetType().Name}: {exception.Message}";
                phases.Add(new PhaseResult(name, false, reason, clock.Elapsed.TotalSeconds));
                await Console.Error.WriteLineAsync($"{name} failed: {reason}");
                break;
            }
        }

        timeline.Mark("check begins");
        var checkClock = Stopwatch.StartNew();
        IReadOnlyList<InvariantResult> invariants;
        try
        {
            invariants = await InvariantCheck.RunAsync(context, settings.CheckWithin, Console.Out, scenario.Invariants(context));
        }
        catch (Exception exception)
        {
            // Only cancellation or a bug gets here: the checks report their own failures.
            invariants = [new InvariantResult("the check ran", false, $"{exception.GetType().Name}: {exception.Message}", 1, checkClock.Elapsed.TotalSeconds)];
        }

        phases.Add(new PhaseResult("check", invariants.All(static invariant => invariant.Passed), null, checkClock.Elapsed.TotalSeconds));
        var processes = await sampler.StopAsync();
        await sampler.DisposeAsync();

        var report = PlanReport.Create(scenario, settings, startedAt, Stopwatch.GetElapsedTime(origin), phases, operations.Summarise(), timeline.Events,
            context.Flows.Flows, processes, invariants, MachineInfo.Collect(), ReproduceCommand());
        var files = await PlanReportWriter.WriteAsync(report, operations.Summarise(), processes, settings.ReportFolder);
        Console.WriteLine($"Report: {files.Markdown}");
        foreach (var line in report.Headlines())
        {
            Console.WriteLine(line);
        }

        return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : report.Passed ? ExitCodes.Ok : ExitCodes.RequestsFailed;
    }

    /// <summary>The command line as given, the token masked, so the report says how to run it again.</summary>
    private static string ReproduceCommand()
    {
        var given = Environment.GetCommandLineArgs().Skip(1).ToList();
        var args = given.Select((arg, index) => index > 0 && given[index - 1] == "--token" ? "***" : arg.Contains(' ', StringComparison.Ordinal) ? $"'{arg}'" : arg);
        return "dotnet run --project load-tests/Registry.LoadTests -c Release -- " + string.Join(' ', args);
    }
}

/// <summary>How one phase ended.</summary>
internal sealed record PhaseResult(string Name, bool Succeeded, string? Failure, double Seconds);
