using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Provinces;
using Registry.LoadTests.Reporting;
using Registry.LoadTests.Running;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Provinces;

/// <summary>
/// <c>shard-activation</c>: what a cold cluster pays to bring every province counter shard (63 × 8) into memory, with
/// checkpoints (migration 0027) and without (the old full sum of every ledger row, got by deleting the checkpoints),
/// side by side and alternated in one run on one PostgreSQL. The ledger is filled by COPY up to <c>--rows</c> (synthetic
/// registrations, births, arrivals, departures and deaths spread over every shard), vacuumed as a ledger at rest is, and
/// then each round deactivates every shard and times activating all of them at once from a cluster client. Both
/// variants must give the same totals, and those of summing the ledger. Not a closed-loop load scenario.
/// </summary>
internal static class ShardActivationCommand
{
    private static readonly string[] Reasons = ["registration", "registration", "registration", "birth", "arrival", "departure", "death"];

    private static readonly Option<long> Rows = new("--rows")
    {
        HelpName = "count",
        Description = "Ledger rows to have before measuring; the ledger is topped up by COPY to this many (so 1,000,000 then 10,000,000 reuse the first fill).",
        DefaultValueFactory = static _ => 1_000_000,
    };

    private static readonly Option<int> Rounds = new("--rounds")
    {
        HelpName = "count",
        Description = "Rounds of (without checkpoints, with checkpoints); alternated so that a noisy minute hits both.",
        DefaultValueFactory = static _ => 2,
    };

    private static readonly Option<string?> Report = new("--report", "-o")
    {
        HelpName = "file",
        Description = "Where the Markdown report goes (default load-tests/reports/shard-activation-<rows>.md).",
    };

    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        ScenarioCommand.MustBeWithin(Rows, 1, 100_000_000);
        ScenarioCommand.MustBeWithin(Rounds, 1, 10);
        var target = new ClusterTarget();
        var command = new Command("shard-activation",
            "Fill the province ledger to --rows by COPY, then time activating all 504 counter shards from cold with checkpoints and without (full sums), alternated. "
            + "Run the silo with ProvinceCounters__CheckpointEvery=1000000000 so that an activation without a checkpoint does not write one while being timed.")
        {
            Rows, Rounds, Report,
        };
        foreach (var option in target.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, target, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ClusterTarget target, CancellationToken cancellationToken)
    {
        var rows = parse.GetValue(Rows);
        var rounds = parse.GetValue(Rounds);
        if (!target.TryResolve(parse, out var resolved, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.RefusedTarget;
        }

        var reportPath = Path.GetFullPath(parse.GetValue(Report) ?? DefaultReportPath(string.Create(CultureInfo.InvariantCulture, $"shard-activation-{rows}")));
        var settings = new RunSettings(resolved.Description, 1, TimeSpan.Zero, TimeSpan.Zero, 0, TimeSpan.Zero, TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(60), 0, reportPath, target.Prerequisite);
        TargetConnection connection;
        try
        {
            connection = await resolved.ConnectAsync(settings, cancellationToken);
        }
        catch (TargetUnavailableException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return ExitCodes.RefusedTarget;
        }

        await using (connection)
        {
            var grains = connection.Grains!;
            var database = connection.Database!;
            Console.WriteLine($"shard-activation: ledger of {rows:N0} rows, {rounds} round(s), on {resolved.Description}");
            var fill = Stopwatch.StartNew();
            var added = await FillAsync(database, rows, cancellationToken);
            fill.Stop();
            Console.WriteLine($"ledger filled: {added:N0} rows added in {fill.Elapsed.TotalSeconds:N1} s (COPY, VACUUM ANALYZE)");
            var ledger = (Rows: await ScalarAsync(database, "SELECT count(*) FROM registry.province_resident_change", cancellationToken),
                Residents: await ScalarAsync(database, "SELECT coalesce(sum(change), 0) FROM registry.province_resident_change", cancellationToken));

            var results = new List<Activation>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var withCheckpoints in (bool[])[false, true])
                {
                    await DeactivateShardsAsync(grains, cancellationToken);
                    if (!withCheckpoints)
                    {
                        await ScalarAsync(database, "WITH cells AS (DELETE FROM registry.province_counter_checkpoint_cell) DELETE FROM registry.province_counter_checkpoint", cancellationToken);
                    }
                    else if (await ScalarAsync(database, "SELECT count(*) FROM registry.province_counter_checkpoint", cancellationToken) < 63 * IProvinceCounterGrain.Shards)
                    {
                        // The shards checkpoint as they deactivate after a full sum; any that did not (a failed write) are written here.
                        await WriteCheckpointsAsync(database, cancellationToken);
                    }

                    var checkpoints = await ScalarAsync(database, "SELECT count(*) FROM registry.province_counter_checkpoint", cancellationToken);
                    // The rows the activations will read from the ledger: all of them without checkpoints, the tails with.
                    var tail = checkpoints == 0 ? ledger.Rows : await ScalarAsync(database,
                        """
                        SELECT coalesce(sum((SELECT count(*) FROM registry.province_resident_change AS change
                            WHERE change.province_code = checkpoint.province_code AND change.shard = checkpoint.shard
                              AND change.transaction_id >= checkpoint.below_transaction)), 0)
                        FROM registry.province_counter_checkpoint AS checkpoint
                        """, cancellationToken);
                    var clock = Stopwatch.StartNew();
                    var totals = await Task.WhenAll(ResidentGenerator.ProvinceCodes2024.SelectMany(static code => Enumerable.Range(0, IProvinceCounterGrain.Shards)
                        .Select(shard => IProvinceCounterGrain.Key(code, shard))).Select(key => grains.GetGrain<IProvinceCounterGrain>(key).GetTotalsAsync()));
                    clock.Stop();
                    var activation = new Activation(round, withCheckpoints, checkpoints, tail, clock.Elapsed,
                        totals.Sum(static shard => shard.Changes.Sum(static reason => reason.Count)), totals.Sum(static shard => shard.Residents.Sum(static cell => cell.Count)));
                    results.Add(activation);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}, {(withCheckpoints ? "with checkpoints   " : "without checkpoints")}: {totals.Length} shards in {clock.Elapsed.TotalSeconds:N2} s; {checkpoints} checkpoints, {tail:N0} rows after them; totals {(activation.Matches(ledger) ? "exact" : "WRONG")}"));
                }
            }

            await DeactivateShardsAsync(grains, cancellationToken);
            await WriteReportAsync(reportPath, resolved.Description, rows, added, fill.Elapsed, ledger, results);
            Console.WriteLine($"report: {reportPath}");
            return results.All(result => result.Matches(ledger)) ? ExitCodes.Ok : ExitCodes.RequestsFailed;
        }
    }

    private sealed record Activation(int Round, bool WithCheckpoints, long Checkpoints, long RowsRead, TimeSpan Elapsed, long Changes, long Residents)
    {
        public bool Matches((long Rows, long Residents) ledger) => Changes == ledger.Rows && Residents == ledger.Residents;
    }

    // Tops the ledger up to the given number of rows: each row a change of one synthetic person in the shard their serial
    // names, the province, sex, birth year and reason drawn at random (a fixed seed per start row, so a fill is repeatable).
    private static async Task<long> FillAsync(NpgsqlDataSource database, long rows, CancellationToken cancellationToken)
    {
        var existing = await ScalarAsync(database, "SELECT count(*) FROM registry.province_resident_change", cancellationToken);
        if (existing >= rows)
        {
            return 0;
        }

        const int RowsPerCopy = 1_000_000;
        var random = new Random(unchecked((int)existing));
        var provinces = ResidentGenerator.ProvinceCodes2024;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        for (var start = existing; start < rows; start += RowsPerCopy)
        {
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                for (var row = start; row < Math.Min(rows, start + RowsPerCopy); row++)
                {
                    var province = provinces[random.Next(provinces.Count)];
                    var serial = random.Next(1_000_000);
                    var reason = Reasons[random.Next(Reasons.Length)];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"shard-activation:{row}"), NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(province, NpgsqlDbType.Char, cancellationToken);
                    await copy.WriteAsync((short)(serial % IProvinceCounterGrain.Shards), NpgsqlDbType.Smallint, cancellationToken);
                    // Sex and century digit 0–3 (born 1900–2099), two year digits, the serial.
                    await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{province}{random.Next(4)}{random.Next(100):00}{serial:000000}"), NpgsqlDbType.Char, cancellationToken);
                    await copy.WriteAsync((short)(reason is "departure" or "death" ? -1 : 1), NpgsqlDbType.Smallint, cancellationToken);
                    await copy.WriteAsync(reason, NpgsqlDbType.Varchar, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Math.Min(rows, start + RowsPerCopy):N0} rows"));
        }

        // As a ledger at rest is: autovacuum has long marked old pages all-visible, so the sums are index-only.
        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) registry.province_resident_change", connection) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
        return rows - existing;
    }

    // Every shard's checkpoint advanced, eight at a time as a silo's ledger does.
    private static async Task WriteCheckpointsAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var ledger = new Registry.Database.Provinces.ProvinceLedger(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<Registry.Database.Provinces.ProvinceLedger>.Instance);
        await using (ledger)
        {
            await Task.WhenAll(ResidentGenerator.ProvinceCodes2024.SelectMany(static code => Enumerable.Range(0, IProvinceCounterGrain.Shards).Select(shard => (code, shard)))
                .Select(shard => ledger.WriteCheckpointAsync(shard.code, shard.shard, cancellationToken)));
        }
    }

    // Deactivates every idle grain, and waits until no counter shard is in memory (a deactivation writes the shard's
    // checkpoint first), so the next activation is cold.
    private static async Task DeactivateShardsAsync(IClusterClient grains, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero, cancellationToken);
        var deadline = Stopwatch.StartNew();
        while ((await management.GetSimpleGrainStatistics(cancellationToken)).Where(static statistic => statistic.GrainType.Contains("ProvinceCounterGrain", StringComparison.Ordinal))
            .Sum(static statistic => statistic.ActivationCount) > 0)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("Counter shards stayed active for 10 minutes after being told to deactivate.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            await management.ForceActivationCollection(TimeSpan.Zero, cancellationToken);
        }
    }

    private static string DefaultReportPath(string name)
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var reports = Path.Combine(folder.FullName, "load-tests", "reports");
            if (Directory.Exists(reports))
            {
                return Path.Combine(reports, name + ".md");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), name + ".md");
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.CommandTimeout = 0;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, CultureInfo.InvariantCulture);
    }

    private static async Task WriteReportAsync(string path, string target, long rows, long added, TimeSpan fill, (long Rows, long Residents) ledger, List<Activation> results)
    {
        var machine = MachineInfo.Collect();
        var text = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(text, $"# shard-activation: {ledger.Rows:N0} ledger rows");
        report.AppendLine();
        report.AppendLine(text, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.LogicalCores} logical cores, {machine.MemoryBytes / (1L << 30)} GiB ({machine.CpuModel ?? "unknown CPU"}), {machine.Runtime}; target {target}.");
        report.AppendLine(text, $"The ledger: {ledger.Rows:N0} rows, {ledger.Residents:N0} residents in all; {added:N0} added by this run in {fill.TotalSeconds:N1} s (COPY, then VACUUM ANALYZE).");
        report.AppendLine();
        report.AppendLine("Each round deactivates every counter shard, then activates all 504 at once (`GetTotalsAsync` on each from a cluster client) and times it until the last answers. Without checkpoints, each shard sums every ledger row it ever recorded (as before migration 0027); with them, it reads its checkpoint's cells and the rows after it.");
        report.AppendLine();
        report.AppendLine("| round | variant | checkpoints | ledger rows read after them | **activation of 504 shards** | totals against the ledger |");
        report.AppendLine("|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            report.AppendLine(text,
                $"| {result.Round} | {(result.WithCheckpoints ? "with checkpoints" : "without (full sums)")} | {result.Checkpoints} | {result.RowsRead:N0} | **{result.Elapsed.TotalSeconds:N2} s** | {(result.Matches(ledger) ? "exact" : "WRONG")} |");
        }

        var without = results.Where(static result => !result.WithCheckpoints).Select(static result => result.Elapsed.TotalSeconds).ToArray();
        var with = results.Where(static result => result.WithCheckpoints).Select(static result => result.Elapsed.TotalSeconds).ToArray();
        report.AppendLine();
        report.AppendLine(text, $"Mean: without checkpoints {without.Average():N2} s, with checkpoints {with.Average():N2} s: **{without.Average() / with.Average():N1}×** faster with them.");
        report.AppendLine();
        report.AppendLine("Reproduce: a fresh database and one silo started with `ProvinceCounters__CheckpointEvery=1000000000` (so that a shard activated without a checkpoint writes its checkpoint only when it deactivates, outside the timing), then");
        report.AppendLine(text, $"`dotnet load-tests/Registry.LoadTests/bin/Release/net10.0/Registry.LoadTests.dll shard-activation --rows {rows} --rounds {results.Max(static result => result.Round)} --connection \"...\"` (see load-tests/README.md, Shard activation).");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report.ToString());
    }
}
