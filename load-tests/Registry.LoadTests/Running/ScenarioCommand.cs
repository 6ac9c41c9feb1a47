using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Registry.LoadTests.Reporting;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Running;

/// <summary>
/// Turns a scenario into a subcommand with the options every scenario shares, and runs it: check the
/// target, wait for readiness, set up, run, write the report, print the summary.
/// </summary>
internal static partial class ScenarioCommand
{
    /// <param name="target">How the scenario reaches the registry: <see cref="ApiTarget"/> or <see cref="ClusterTarget"/>.</param>
    /// <param name="name">Subcommand name, also the scenario's name.</param>
    /// <param name="description">Help text of the subcommand.</param>
    /// <param name="createScenario">Builds the scenario from the parsed command line (its own options included).</param>
    /// <param name="scenarioOptions">Options only this scenario has, e.g. the read pool size.</param>
    public static Command Create<TWorker>(
        ILoadTarget target, string name, string description, Func<ParseResult, ILoadScenario<TWorker>> createScenario, params Option[] scenarioOptions)
    {
        var options = new SharedOptions(name);
        var command = new Command(name, description);
        foreach (var option in target.Options.Concat(options.All).Concat(scenarioOptions))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, target, options, createScenario, cancellationToken));
        return command;
    }

    /// <summary>Adds a range check whose message names the option, the bounds and the value given.</summary>
    public static void MustBeWithin<T>(Option<T> option, T minimum, T maximum)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value < minimum || value > maximum)
            {
                result.AddError(string.Create(
                    CultureInfo.InvariantCulture, $"{option.Name} must be between {minimum} and {maximum}; got {value}."));
            }
        });
    }

    private static async Task<int> RunAsync<TWorker>(
        ParseResult parse, ILoadTarget target, SharedOptions options, Func<ParseResult, ILoadScenario<TWorker>> createScenario, CancellationToken cancellationToken)
    {
        // First, before any client exists: where would the traffic go?
        if (!target.TryResolve(parse, out var resolved, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.RefusedTarget;
        }

        var settings = new RunSettings(
            resolved.Description,
            parse.GetValue(options.Concurrency),
            TimeSpan.FromSeconds(parse.GetValue(options.Warmup)),
            TimeSpan.FromSeconds(parse.GetValue(options.Duration)),
            parse.GetValue(options.MaxRequests),
            TimeSpan.FromSeconds(parse.GetValue(options.Block)),
            TimeSpan.FromSeconds(parse.GetValue(options.Timeout)),
            TimeSpan.FromSeconds(parse.GetValue(options.WaitReady)),
            parse.GetValue(options.Seed) ?? RandomNumberGenerator.GetInt32(int.MaxValue),
            Path.GetFullPath(parse.GetRequiredValue(options.Report)));
        if (settings.Block > settings.Duration)
        {
            await Console.Error.WriteLineAsync($"{options.Block.Name} ({settings.Block.TotalSeconds:F0} s) must not exceed {options.Duration.Name} ({settings.Duration.TotalSeconds:F0} s).");
            return ExitCodes.InvalidArguments;
        }

        var scenario = createScenario(parse);
        var runId = NewRunId(scenario.Name);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{scenario.Name}: {settings.Concurrency} workers against {settings.Target}, warm-up {settings.Warmup.TotalSeconds:F0} s, measured {settings.Duration.TotalSeconds:F0} s, at most {settings.MaxRequests:N0} requests (run {runId}, seed {settings.Seed})"));

        try
        {
            await using var connection = await resolved.ConnectAsync(settings, cancellationToken);
            var context = new ScenarioContext(connection, runId, settings.Concurrency, settings.Seed);
            try
            {
                await scenario.SetUpAsync(context, cancellationToken);
            }
            catch (ScenarioSetUpException exception)
            {
                await Console.Error.WriteLineAsync($"Set-up of '{scenario.Name}' failed: {exception.Message}");
                return ExitCodes.NotReady;
            }

            var result = await LoadRunner.RunAsync(scenario, context, settings, Console.Out, cancellationToken);
            result = result with { ScenarioParameters = [.. connection.Parameters, .. result.ScenarioParameters] };

            // Written even for a cancelled run: a partial report says how far it got.
            Directory.CreateDirectory(Path.GetDirectoryName(settings.ReportPath)!);
            var report = MarkdownReport.Render(result, MachineInfo.Collect(), ReproduceCommand(settings));
            await File.WriteAllTextAsync(settings.ReportPath, report, CancellationToken.None);

            ConsoleSummary.Write(result, Console.Out);
            Console.WriteLine($"Report: {settings.ReportPath}");

            return result.StopReason == StopReason.Cancelled ? ExitCodes.Cancelled
                : result.Requests == 0 || result.Failed > 0 ? ExitCodes.RequestsFailed
                : ExitCodes.Ok;
        }
        catch (TargetUnavailableException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return exception.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled before the run started; no report written.");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>Unique per run and safe inside an idempotency key: scenario, UTC time, 32 random bits.</summary>
    private static string NewRunId(string scenario) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"load-{scenario}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");

    /// <summary>The command line as given, plus the seed if it was random, so the report says how to rerun it.</summary>
    private static string ReproduceCommand(RunSettings settings)
    {
        // A password given on the command line (--connection) or a bearer token (--token) is not written into a report.
        var given = Environment.GetCommandLineArgs().Skip(1).ToList();
        var args = given
            .Select((arg, index) => index > 0 && given[index - 1] == "--token" ? "***"
                : arg.StartsWith("--token=", StringComparison.Ordinal) || arg.StartsWith("--token:", StringComparison.Ordinal) ? arg[..8] + "***"
                : PasswordInConnectionString().Replace(arg, "${key}=***"))
            .ToList();
        if (!args.Contains("--seed", StringComparer.Ordinal))
        {
            args.AddRange(["--seed", settings.Seed.ToString(CultureInfo.InvariantCulture)]);
        }

        var quoted = args.Select(static arg => arg.Length > 0 && arg.All(static c => char.IsAsciiLetterOrDigit(c) || "-_./:=,".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'");
        return "dotnet run --project load-tests/Registry.LoadTests -c Release -- " + string.Join(' ', quoted);
    }

    [GeneratedRegex(@"(?<key>Password|Pwd)\s*=[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordInConnectionString();

    /// <summary>The options every scenario shares; one instance per subcommand.</summary>
    private sealed class SharedOptions
    {
        public SharedOptions(string scenario)
        {
            MustBeWithin(Concurrency, 1, 512);
            MustBeWithin(Duration, 1, 3600);
            MustBeWithin(Warmup, 0, 600);
            MustBeWithin(MaxRequests, 1L, 100_000_000L);
            MustBeWithin(Block, 1, 300);
            MustBeWithin(Timeout, 1, 60);
            MustBeWithin(WaitReady, 0, 600);
            Report.DefaultValueFactory = _ => DefaultReportPath(scenario);
        }

        public Option<int> Concurrency { get; } = new("--concurrency", "-c")
        {
            HelpName = "workers",
            Description = "Workers, each with one request in flight at a time.",
            DefaultValueFactory = static _ => 32,
        };

        public Option<int> Duration { get; } = new("--duration", "-d")
        {
            HelpName = "seconds",
            Description = "Measured seconds, after the warm-up.",
            DefaultValueFactory = static _ => 30,
        };

        public Option<int> Warmup { get; } = new("--warmup", "-w")
        {
            HelpName = "seconds",
            Description = "Warm-up seconds whose results are discarded.",
            DefaultValueFactory = static _ => 5,
        };

        public Option<long> MaxRequests { get; } = new("--max-requests")
        {
            HelpName = "count",
            Description = "Hard cap on requests, warm-up included; the run stops when it is reached.",
            DefaultValueFactory = static _ => 1_000_000,
        };

        public Option<int> Block { get; } = new("--block")
        {
            HelpName = "seconds",
            Description = "Seconds per row of the per-block throughput table.",
            DefaultValueFactory = static _ => 1,
        };

        public Option<int> Timeout { get; } = new("--timeout")
        {
            HelpName = "seconds",
            Description = "Seconds before one request counts as a timeout.",
            DefaultValueFactory = static _ => 10,
        };

        public Option<int> WaitReady { get; } = new("--wait-ready")
        {
            HelpName = "seconds",
            Description = "Seconds to wait for the target to be ready (API: GET /health/ready answers 200; cluster: an active gateway) before giving up; 0 skips the API check.",
            DefaultValueFactory = static _ => 10,
        };

        public Option<int?> Seed { get; } = new("--seed")
        {
            HelpName = "int",
            Description = "Seed of the generated people; random when omitted (the report records it).",
        };

        public Option<string> Report { get; } = new("--report", "-o")
        {
            HelpName = "path",
            Description = "Markdown report to write (its folder is created).",
        };

        public IEnumerable<Option> All => [Concurrency, Duration, Warmup, MaxRequests, Block, Timeout, WaitReady, Seed, Report];

        /// <summary>
        /// <c>load-tests/reports/{scenario}.md</c> of the repository we run in (found from the current folder,
        /// then from the program's own folder), so <c>dotnet run</c> from anywhere in the repository writes there.
        /// </summary>
        private static string DefaultReportPath(string scenario)
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                {
                    var reports = Path.Combine(folder.FullName, "load-tests", "reports");
                    if (Directory.Exists(reports))
                    {
                        return Path.Combine(reports, scenario + ".md");
                    }
                }
            }

            return Path.Combine(Directory.GetCurrentDirectory(), scenario + ".md");
        }
    }
}
