using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using HdrHistogram;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts;
using Registry.LoadTests.Cards;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Reporting;
using Registry.LoadTests.Running;
using ContractId = Registry.Contracts.Identity.PersonalIdNumber;

namespace Registry.LoadTests.Reads;

/// <summary>
/// <c>read-grains</c> (issue 14, item 6): person reads through the cluster client (<c>ICitizenGrain.GetAsync</c>) against
/// Npgsql primary-key reads of the same people, from one client process, in one run, at one concurrency, in alternating
/// blocks so that a noisy minute on the shared machine hits every kind. People are drawn uniformly from a working set of
/// <c>--people</c> already in the database (filled by <c>registry-admin bulk-load</c>), so a grain block pays the
/// activation of every person read for the first time, and the report says how many reads that was. Two database reads
/// are measured: the read model's row (<c>registry.resident</c> by <c>personal_id</c>, all columns: what an application
/// without grains would read for a person, the fair comparison) and the citizen's stored state (<c>orleansstorage</c> by
/// its identity key: what a cold activation itself reads, without deserializing it).
/// </summary>
internal static class ReadGrainsCommand
{
    private const string StateName = "citizen";

    private static readonly Option<int> People = new("--people")
    {
        HelpName = "count",
        Description = "Working set: the first this many people of the read model (by number); each read picks one uniformly. They must be in the database already (registry-admin bulk-load).",
        DefaultValueFactory = static _ => 1_000_000,
    };

    private static readonly Option<int> Concurrency = new("--concurrency", "-c")
    {
        HelpName = "workers",
        Description = "Workers reading at once, each waiting for its answer before the next read (the same in every block).",
        DefaultValueFactory = static _ => 32,
    };

    private static readonly Option<int> BlockSeconds = new("--block")
    {
        HelpName = "seconds",
        Description = "Length of one block of one kind of read.",
        DefaultValueFactory = static _ => 10,
    };

    private static readonly Option<int> Rounds = new("--rounds")
    {
        HelpName = "count",
        Description = "Rounds of (grains, read model, stored state), alternated.",
        DefaultValueFactory = static _ => 2,
    };

    private static readonly Option<int?> SiloPid = new("--silo-pid")
    {
        HelpName = "pid",
        Description = "Process id of the (single) silo, for its CPU per read; PostgreSQL's is found from the connection.",
    };

    private static readonly Option<string?> Report = new("--report", "-o")
    {
        HelpName = "file",
        Description = "Where the Markdown report goes (default load-tests/reports/read-grains-<people>.md).",
    };

    private enum ReadKind
    {
        Grains,
        ReadModel,
        StoredState,
    }

    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        ScenarioCommand.MustBeWithin(People, 1, 100_000_000);
        ScenarioCommand.MustBeWithin(Concurrency, 1, 1024);
        ScenarioCommand.MustBeWithin(BlockSeconds, 1, 120);
        ScenarioCommand.MustBeWithin(Rounds, 1, 10);
        var target = new ClusterTarget();
        var command = new Command("read-grains",
            "Person reads through the cluster client (ICitizenGrain.GetAsync) against Npgsql primary-key reads of the same people (the read model's row, the citizen's stored state), "
            + "alternated in blocks at one concurrency over a working set of --people drawn uniformly (cold activations counted). Fill the database with registry-admin bulk-load first.")
        {
            People, Concurrency, BlockSeconds, Rounds, SiloPid, Report,
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
        var people = parse.GetValue(People);
        var concurrency = parse.GetValue(Concurrency);
        var block = TimeSpan.FromSeconds(parse.GetValue(BlockSeconds));
        var rounds = parse.GetValue(Rounds);
        var serviceId = parse.GetValue<string>("--service-id") ?? ClusterTarget.DefaultServiceId;
        if (!target.TryResolve(parse, out var resolved, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.RefusedTarget;
        }

        var reportPath = Path.GetFullPath(parse.GetValue(Report) ?? DefaultReportPath(string.Create(CultureInfo.InvariantCulture, $"read-grains-{people}")));
        var settings = new RunSettings(resolved.Description, concurrency, TimeSpan.Zero, TimeSpan.Zero, 0, TimeSpan.Zero, TimeSpan.FromSeconds(30),
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
            var numbers = await ReadWorkingSetAsync(database, people, cancellationToken);
            if (numbers.Length < people)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"The read model holds {numbers.Length:N0} people, fewer than --people {people:N0}: fill the database with registry-admin bulk-load (load-tests/README.md, Person reads)."));
                return ExitCodes.RefusedTarget;
            }

            var watched = await ProcessSampler.FindAsync(parse.GetValue(SiloPid) is { } pid ? string.Create(CultureInfo.InvariantCulture, $"silo={pid}") : null, database, cancellationToken);
            var reader = new PersonReads(grains, database, numbers, serviceId);
            await reader.CheckStoredStateAsync(cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read-grains: {people:N0} people, {concurrency} workers, {rounds} round(s) of {block.TotalSeconds:N0} s blocks, on {resolved.Description}"));

            var results = new List<BlockResult>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var kind in Enum.GetValues<ReadKind>())
                {
                    var result = await RunBlockAsync(reader, kind, round, concurrency, block, watched, cancellationToken);
                    results.Add(result);
                    Console.WriteLine(result.Line());
                }
            }

            await WriteReportAsync(reportPath, resolved.Description, people, concurrency, block, watched, results);
            Console.WriteLine($"report: {reportPath}");
            return results.Sum(static result => result.Failed) == 0 ? ExitCodes.Ok : ExitCodes.RequestsFailed;
        }
    }

    // The first people of the read model by number: a set the same every run on the same database, so a second run at
    // the same size reads people whose grains may still be in memory (restart the silo for a cold start).
    private static async Task<string[]> ReadWorkingSetAsync(NpgsqlDataSource database, int people, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT personal_id FROM registry.resident ORDER BY personal_id LIMIT $1");
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = people });
        var numbers = new List<string>(people);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(reader.GetString(0));
        }

        return [.. numbers];
    }

    private static async Task<BlockResult> RunBlockAsync(PersonReads reader, ReadKind kind, int round, int concurrency, TimeSpan block, IReadOnlyList<WatchedProcess> watched, CancellationToken cancellationToken)
    {
        var citizensBefore = await reader.CitizensInMemoryAsync(cancellationToken);
        var cpuBefore = watched.Select(static process => ProcessSampler.Measure(process).Cpu).ToArray();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var workers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(unchecked((round * 31 + (int)kind) * 1009 + worker));
            var tally = new WorkerTally();
            while (clock.Elapsed < block)
            {
                var person = random.Next(reader.Count);
                var started = Stopwatch.GetTimestamp();
                var found = false;
                try
                {
                    found = await reader.ReadAsync(kind, person, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    tally.LastFailure = exception.Message;
                }

                var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                if (found)
                {
                    LatencyHistogram.Record(tally.Latency, micros);
                }
                else
                {
                    tally.Failed++;
                }
            }

            return tally;
        }, cancellationToken)));
        var elapsed = clock.Elapsed;
        // The silo's own count, so that grains still in memory from an earlier run on the same silo count as warm.
        var activations = await reader.CitizensInMemoryAsync(cancellationToken) - citizensBefore;
        var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds;
        var cpu = watched.Select((process, index) => (process.Name, Seconds: ProcessSampler.Measure(process).Cpu - cpuBefore[index])).ToArray();
        var latency = LatencyHistogram.Create();
        foreach (var worker in workers)
        {
            latency.Add(worker.Latency);
        }

        return new BlockResult(round, kind, elapsed, latency, workers.Sum(static worker => worker.Failed), activations,
            workers.Select(static worker => worker.LastFailure).FirstOrDefault(static failure => failure is not null), client, cpu);
    }

    private sealed class WorkerTally
    {
        public LongHistogram Latency { get; } = LatencyHistogram.Create();

        public long Failed { get; set; }

        public string? LastFailure { get; set; }
    }

    /// <summary>One read of a person of the working set, of each kind.</summary>
    private sealed class PersonReads(IClusterClient grains, NpgsqlDataSource database, string[] numbers, string serviceId)
    {
        // Orleans' own read of a grain's state (its ADO.NET storage's ReadFromStorage), by the unique identity index.
        private const string StoredStateSql =
            """
            SELECT payloadbinary, version FROM orleansstorage
            WHERE grainidhash = $1 AND graintypehash = $2 AND serviceid = $3 AND graintypestring = $4
              AND grainidn0 = $5 AND grainidn1 = $6 AND grainidextensionstring IS NULL
            """;

        private readonly ContractId[] ids = [.. numbers.Select(static number => ContractId.TryParse(number, out var id, out var error)
            ? id : throw new InvalidOperationException($"The read model holds a malformed number {number}: {error}"))];

        public int Count => numbers.Length;

        /// <summary>The stored-state read must find the bulk load's rows; a wrong key would make it a cheap miss.</summary>
        public async Task CheckStoredStateAsync(CancellationToken cancellationToken)
        {
            if (!await ReadStoredStateAsync(0, cancellationToken))
            {
                throw new InvalidOperationException($"No stored citizen state in orleansstorage for {numbers[0]} under service {serviceId}: is --service-id the silo's, and was the database filled by registry-admin bulk-load?");
            }
        }

        /// <summary>Citizen grains in memory on the silos (none is collected while a run lasts: the collection age is minutes).</summary>
        public async Task<long> CitizensInMemoryAsync(CancellationToken cancellationToken) =>
            (await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics(cancellationToken))
                .Where(static statistic => statistic.GrainType.Contains("CitizenGrain", StringComparison.Ordinal)).Sum(static statistic => (long)statistic.ActivationCount);

        public async Task<bool> ReadAsync(ReadKind kind, int person, CancellationToken cancellationToken)
        {
            switch (kind)
            {
                case ReadKind.Grains:
                    return await grains.Citizen(ids[person]).GetAsync() is not null;
                case ReadKind.ReadModel:
                    return await ReadRowAsync(person, cancellationToken);
                default:
                    return await ReadStoredStateAsync(person, cancellationToken);
            }
        }

        // Every column of the person's row, materialized as the values a caller would use.
        private async Task<bool> ReadRowAsync(int person, CancellationToken cancellationToken)
        {
            await using var command = database.CreateCommand("SELECT * FROM registry.resident WHERE personal_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = numbers[person], NpgsqlDbType = NpgsqlDbType.Char });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            return true;
        }

        private async Task<bool> ReadStoredStateAsync(int person, CancellationToken cancellationToken)
        {
            var row = StoredGrainRow.For(numbers[person], StateName);
            await using var command = database.CreateCommand(StoredStateSql);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.IdHash });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.TypeHash });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StateName });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.N0 });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.N1 });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && reader.GetFieldValue<byte[]>(0).Length > 0;
        }
    }

    private sealed record BlockResult(int Round, ReadKind Kind, TimeSpan Elapsed, LongHistogram Latency, long Failed, long Activations, string? LastFailure,
        double ClientCpuSeconds, (string Name, double Seconds)[] Cpu)
    {
        public long Reads => Latency.TotalCount;

        public double Rate => Reads / Elapsed.TotalSeconds;

        public double P50Millis => Latency.GetValueAtPercentile(50) / 1000d;

        public double P99Millis => Latency.GetValueAtPercentile(99) / 1000d;

        public string KindName => Kind switch
        {
            ReadKind.Grains => "grains (cluster client)",
            ReadKind.ReadModel => "read model (Npgsql)",
            _ => "stored state (Npgsql)",
        };

        /// <summary>CPU milliseconds per read of a watched process (or the client), NaN when it was not watched.</summary>
        public double CpuMillisPerRead(string name) =>
            Reads == 0 ? double.NaN : Cpu.Where(process => process.Name.StartsWith(name, StringComparison.Ordinal)).Select(static process => process.Seconds).DefaultIfEmpty(double.NaN).Sum() * 1000 / Reads;

        public string Line() => string.Create(CultureInfo.InvariantCulture,
            $"round {Round}, {KindName,-24}: {Reads,9:N0} reads, {Rate,8:N0}/s, p50 {P50Millis:N2} ms, p99 {P99Millis:N2} ms, {Failed} failed{(Kind == ReadKind.Grains ? $", {Activations:N0} activations ({Share(Activations, Reads + Failed):P1})" : "")}{(LastFailure is null ? "" : " (last: " + LastFailure + ")")}");
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

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

    private static async Task WriteReportAsync(string path, string target, int people, int concurrency, TimeSpan block, IReadOnlyList<WatchedProcess> watched, List<BlockResult> results)
    {
        var machine = MachineInfo.Collect();
        var text = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(text, $"# read-grains: {people:N0} people");
        report.AppendLine();
        report.AppendLine(text, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.LogicalCores} logical cores, {machine.MemoryBytes / (1L << 30)} GiB ({machine.CpuModel ?? "unknown CPU"}), {machine.Runtime}; target {target}.");
        report.AppendLine(text, $"{concurrency} workers in one client process, blocks of {block.TotalSeconds:N0} s alternated: `ICitizenGrain.GetAsync` through the cluster client; the read model's row (`SELECT * FROM registry.resident WHERE personal_id = $1`, every column materialized); the citizen's stored state (`orleansstorage` by its unique identity index, as the grain storage reads it on activation). Each read picks one of the {people:N0} people uniformly; activations are the citizen grains the silo brought into memory during the block (its management grain's count), so people read in an earlier run on the same silo count as warm.");
        report.AppendLine(text, $"CPU per read from /proc over each block: {string.Join("; ", watched.Select(static process => process.Name))}; and this client's own.");
        report.AppendLine();
        report.AppendLine("| round | reads of | reads | **reads/s** | p50 | p99 | failed | activations (share) | silo CPU / read | PostgreSQL CPU / read | client CPU / read |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            report.AppendLine(text,
                $"| {result.Round} | {result.KindName} | {result.Reads:N0} | **{result.Rate:N0}** | {result.P50Millis:N2} ms | {result.P99Millis:N2} ms | {result.Failed} | {(result.Kind == ReadKind.Grains ? $"{result.Activations:N0} ({Share(result.Activations, result.Reads + result.Failed):P1})" : "—")} | {Millis(result.CpuMillisPerRead("silo"))} | {Millis(result.CpuMillisPerRead("PostgreSQL"))} | {Millis(result.ClientCpuSeconds * 1000 / Math.Max(1, result.Reads))} |");
        }

        report.AppendLine();
        report.AppendLine("Ratio of the grain block's rate to the database blocks' of the same round:");
        report.AppendLine();
        report.AppendLine("| round | grains / read model | grains / stored state |");
        report.AppendLine("|---|---|---|");
        foreach (var round in results.GroupBy(static result => result.Round))
        {
            var rate = round.ToDictionary(static result => result.Kind, static result => result.Rate);
            report.AppendLine(text, $"| {round.Key} | **{rate[ReadKind.Grains] / rate[ReadKind.ReadModel]:N2}×** | {rate[ReadKind.Grains] / rate[ReadKind.StoredState]:N2}× |");
        }

        report.AppendLine();
        report.AppendLine("Reproduce: a database filled by `registry-admin bulk-load` (with no silo), one silo started on it, then");
        report.AppendLine(text, $"`dotnet load-tests/Registry.LoadTests/bin/Release/net10.0/Registry.LoadTests.dll read-grains --people {people} --concurrency {concurrency} --block {block.TotalSeconds:N0} --rounds {results.Max(static result => result.Round)} --silo-pid <pid> --connection \"...\" --cluster-id ...` (load-tests/README.md, Person reads).");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report.ToString());
    }

    private static string Millis(double value) => double.IsNaN(value) ? "—" : value.ToString("N3", CultureInfo.InvariantCulture) + " ms";
}
