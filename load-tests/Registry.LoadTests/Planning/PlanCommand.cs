using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Npgsql;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Planning;

/// <summary>
/// Turns a planner scenario into a subcommand with the options all of them share (where the API and PostgreSQL are,
/// workers, seed, report folder, processes to watch, the check's bound) and runs it with <see cref="PlanRunner"/>.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(PlannedScenarioDefinition definition)
    {
        var api = new Option<string>("--api") { HelpName = "url", Description = "Base URL of the registry API; loopback only.", DefaultValueFactory = static _ => ApiTarget.DefaultApi };
        var token = new Option<string?>("--token")
        {
            HelpName = "jwt",
            Description = $"A central administrator's bearer token (never written to the report). Default: ${ApiTarget.TokenVariable}, else {ApiTarget.TokenFile} (written by cluster-config/up.sh).",
        };
        var connection = new Option<string?>("--connection")
        {
            HelpName = "connection string",
            Description = $"The registry's PostgreSQL (loopback only). Default: ${LoopbackDatabase.ConnectionStringVariable}, else the database of cluster-config/up.sh.",
        };
        var concurrency = new Option<int>("--concurrency", "-c") { HelpName = "workers", Description = "Requests in flight at once for the scenario's main traffic.", DefaultValueFactory = static _ => 32 };
        ScenarioCommand.MustBeWithin(concurrency, 1, 512);
        var seed = new Option<int?>("--seed") { HelpName = "int", Description = "Seed of everything drawn at random; random when omitted (the report records it)." };
        var report = new Option<string?>("--report", "-o")
        {
            HelpName = "folder",
            Description = $"Folder of the report (Markdown, JSON, charts). Default: load-tests/reports/{definition.Name}-<UTC time>/.",
        };
        var pids = new Option<string?>("--pids")
        {
            HelpName = "name=pid,...",
            Description = "Processes of the registry to sample (CPU, memory), besides PostgreSQL, which is found by itself. Default: the silos and API of .local/run/*.pid (cluster-config/up.sh).",
        };
        var checkWithin = new Option<int>("--check-within")
        {
            HelpName = "seconds",
            Description = "Bound of each invariant check's retries at the end (a cold cluster's first calls can time out; work in flight settles).",
            DefaultValueFactory = static _ => 120,
        };
        ScenarioCommand.MustBeWithin(checkWithin, 1, 3600);
        var timeout = new Option<int>("--timeout") { HelpName = "seconds", Description = "Seconds before one request counts as a timeout.", DefaultValueFactory = static _ => 30 };
        ScenarioCommand.MustBeWithin(timeout, 1, 600);

        var command = new Command(definition.Name, definition.Description) { api, token, connection, concurrency, seed, report, pids, checkWithin, timeout };
        foreach (var option in definition.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!LoopbackTarget.TryParse(parse.GetRequiredValue(api), out var baseAddress, out var problem)
                || !LoopbackDatabase.TryCheck(LoopbackDatabase.ConnectionStringFrom(parse.GetValue(connection)), connection.Name, out _, out problem))
            {
                await Console.Error.WriteLineAsync(problem);
                return ExitCodes.RefusedTarget;
            }

            if (!ApiTarget.TryFindToken(parse.GetValue(token), out var bearer, out var tokenSource))
            {
                await Console.Error.WriteLineAsync($"No bearer token: pass --token, set {ApiTarget.TokenVariable}, or start the cluster with cluster-config/up.sh. Nothing was sent.");
                return ExitCodes.RefusedTarget;
            }

            var workers = parse.GetValue(concurrency);
            var requestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout));
            using var http = LoopbackTarget.CreateClient(baseAddress, workers * 2, requestTimeout);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            ApiTarget.StatePurpose(http);
            var (ready, lastProblem) = await ReadinessProbe.WaitAsync(http, TimeSpan.FromSeconds(30), cancellationToken);
            if (!ready)
            {
                await Console.Error.WriteLineAsync($"The API at {baseAddress} is not ready (last: {lastProblem}). Nothing was sent.");
                return ExitCodes.NotReady;
            }

            await using var database = NpgsqlDataSource.Create(LoopbackDatabase.ConnectionStringFrom(parse.GetValue(connection)));
            var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var settings = new PlanSettings(
                parse.GetValue(seed) ?? RandomNumberGenerator.GetInt32(int.MaxValue),
                workers,
                Path.GetFullPath(parse.GetValue(report) ?? Path.Combine(ReportsFolder(), $"{definition.Name}-{stamp}")),
                parse.GetValue(pids),
                TimeSpan.FromSeconds(parse.GetValue(checkWithin)),
                $"load-{definition.Name}-{stamp}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}",
                [new("API", baseAddress.ToString()), new("bearer token from", tokenSource)]);
            return await PlanRunner.RunAsync(definition.Create(parse), http, database, settings, cancellationToken);
        });
        return command;
    }

    /// <summary><c>load-tests/reports</c> of the repository we run in, found upwards from the current folder, then from the program's.</summary>
    private static string ReportsFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var reports = Path.Combine(folder.FullName, "load-tests", "reports");
                if (Directory.Exists(reports))
                {
                    return reports;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

/// <summary>What every planner run is given.</summary>
internal sealed record PlanSettings(
    int Seed, int Concurrency, string ReportFolder, string? Pids, TimeSpan CheckWithin, string RunId, IReadOnlyList<KeyValuePair<string, string>> Target);
