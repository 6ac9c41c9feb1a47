using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Registry.Admin.Schema;
using Registry.Database.BulkLoad;
using Spectre.Console;

namespace Registry.Admin.BulkLoad;

/// <summary>
/// <c>registry-admin bulk-load FILE...</c>: the initial load of a country from its provincial files (<see cref="NationalLoad"/>).
/// It runs against a stopped cluster only: it writes grain storage (citizens, allocators) and the province ledger behind
/// the silos' backs, and a running silo could hold an allocator's lease or a counter shard's cells in memory and overwrite
/// or miss what the load wrote. Stopping the cluster for the load costs nothing a country's first load needs (nobody is in
/// the registry yet), and it lets the load write whole chunks by COPY without a grain call per person.
/// </summary>
public static class BulkLoadCommand
{
    /// <summary>Exit code when silos are running or another load holds the lock.</summary>
    public const int Unsafe = 3;

    /// <summary>Exit code when a file is refused whole.</summary>
    public const int Refused = 4;

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Provincial files in the daily batches' format (.csv or .ndjson), registrations only.", Arity = ArgumentArity.OneOrMore };
        var connection = new Option<string?>("--connection")
        {
            Description = $"Npgsql connection string of the registry's database; default ${SchemaCommands.ConnectionVariable}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(SchemaCommands.ConnectionVariable),
        };
        var serviceId = new Option<string>("--service-id")
        {
            Description = "The Orleans service id the silos store state under (Orleans:ServiceId).",
            DefaultValueFactory = _ => "population-registry",
        };
        var subject = new Option<string>("--subject")
        {
            Description = "The operator's id, recorded as the registering actor of every person loaded.",
            Required = true,
        };
        var chunkRows = new Option<int>("--chunk-rows")
        {
            Description = "Rows per transaction.",
            DefaultValueFactory = _ => 20_000,
        };
        chunkRows.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1_000_000)
            {
                result.AddError("--chunk-rows must be between 1 and 1,000,000.");
            }
        });
        var parallel = new Option<int>("--parallel")
        {
            Description = "Files loaded at once, each on a connection of its own (the files of one pass; the passes run one after the other).",
            DefaultValueFactory = _ => 2,
        };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 64)
            {
                result.AddError("--parallel must be between 1 and 64.");
            }
        });
        var quietFor = new Option<int>("--silos-quiet-seconds")
        {
            Description = "A membership row not marked dead counts as a running silo while its last heartbeat is younger than this.",
            DefaultValueFactory = _ => 600,
        };

        var command = new Command("bulk-load",
            "Load a country's people from provincial files into a stopped cluster's database: numbers kept or allocated, counted once, in the read model, with their first history entry; resumable and idempotent.")
        {
            files, connection, serviceId, subject, chunkRows, parallel, quietFor,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(connection) is not { } connectionString || string.IsNullOrWhiteSpace(connectionString))
            {
                await Console.Error.WriteLineAsync($"No connection string: pass --connection or set {SchemaCommands.ConnectionVariable}.");
                return SchemaCommands.NoConnection;
            }

            await using var database = NpgsqlDataSource.Create(connectionString);
            var store = new BulkLoadStore(database);
            var live = await store.LiveSilosAsync(TimeSpan.FromSeconds(parse.GetValue(quietFor)), cancellationToken);
            if (live.Count > 0)
            {
                await Console.Error.WriteLineAsync($"Refused: stop the cluster first; these silos are running on this database:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", live)}");
                return Unsafe;
            }

            await using var loaderLock = await store.TryLockAsync(cancellationToken);
            if (loaderLock is null)
            {
                await Console.Error.WriteLineAsync("Refused: another bulk load is running on this database.");
                return Unsafe;
            }

            var load = new NationalLoad(database, new NationalLoadSettings(parse.GetRequiredValue(serviceId), parse.GetRequiredValue(subject), parse.GetValue(chunkRows)),
                TimeProvider.System);
            var paths = parse.GetRequiredValue(files).Select(static file => file.FullName).ToArray();
            try
            {
                var clock = Stopwatch.StartNew();
                var results = Console.IsOutputRedirected
                    ? await RunPlainAsync(load, paths, parse.GetValue(parallel), cancellationToken)
                    : await RunWithProgressAsync(load, paths, parse.GetValue(parallel), cancellationToken);
                clock.Stop();
                var applied = results.Sum(static r => r.Applied);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{paths.Length} file(s): {applied:N0} people registered, {results.Sum(static r => r.Duplicates):N0} duplicate candidates, {results.Sum(static r => r.Rejected):N0} rejected (results in registry.bulk_load_row); {clock.Elapsed.TotalSeconds:N1} s"));
                return 0;
            }
            catch (LoadFileRefusedException refused)
            {
                await Console.Error.WriteLineAsync($"Refused: {refused.Message}");
                return Refused;
            }
        });
        return command;
    }

    private static Task<List<FileLoadProgress>> RunPlainAsync(NationalLoad load, string[] paths, int parallel, CancellationToken cancellationToken) =>
        RunPassesAsync(load, paths, parallel, name => p => Console.WriteLine(Line(name, p)), cancellationToken);

    private static async Task<List<FileLoadProgress>> RunWithProgressAsync(NationalLoad load, string[] paths, int parallel, CancellationToken cancellationToken)
    {
        List<FileLoadProgress> results = [];
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 10 }, new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                results = await RunPassesAsync(load, paths, parallel, name =>
                {
                    // A file's length in rows is not known before it is read; the bar fills when its pass is done.
                    var task = context.AddTask(Markup.Escape(name), maxValue: 1);
                    return p =>
                    {
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{name}: row {p.RowsDone:N0}, {p.Applied:N0} in, {p.Duplicates + p.Rejected:N0} out"));
                        task.Value = p.Completed ? 1 : 0;
                    };
                }, cancellationToken);
            });
        return results;
    }

    // Every file's kept numbers first, then every file's other rows (LoadPass); files of a pass in parallel, each file on
    // its own connection: their provinces' prefixes, and so their allocators, are disjoint.
    private static async Task<List<FileLoadProgress>> RunPassesAsync(NationalLoad load, string[] paths, int parallel,
        Func<string, Action<FileLoadProgress>> reporter, CancellationToken cancellationToken)
    {
        var results = new List<FileLoadProgress>();
        foreach (var pass in Enum.GetValues<LoadPass>())
        {
            await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (path, token) =>
            {
                var report = reporter($"{Path.GetFileName(path)} ({Name(pass)})");
                var result = await load.LoadFileAsync(path, pass, new Reporter(report), token);
                lock (results)
                {
                    results.Add(result);
                }
            });
        }

        return results;
    }

    // Reported on the loading thread, in order: Progress<T> posts to the thread pool and may print after the summary.
    private sealed class Reporter(Action<FileLoadProgress> report) : IProgress<FileLoadProgress>
    {
        public void Report(FileLoadProgress value) => report(value);
    }

    private static string Name(LoadPass pass) => pass == LoadPass.KeptNumbers ? "kept" : "allocated";

    private static string Line(string name, FileLoadProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: row {p.RowsDone:N0}, {p.Applied:N0} registered, {p.Duplicates:N0} duplicates, {p.Rejected:N0} rejected{(p.Completed ? ", done" : "")}");
}
