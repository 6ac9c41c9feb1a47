using System.CommandLine;
using System.Globalization;
using Npgsql;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// The plain design of issue 4's comparison, the one a team would pick without grains: every relocation is one SQL
/// transaction at the default isolation (read committed) that updates the person's row and moves one unit from the
/// old province's counter to the new one's. The moves are <see cref="RelocationWorkload"/>'s, the same the grain design
/// is measured with, on the same PostgreSQL; the counters are checked against a count of the people after the run.
/// </summary>
/// <remarks>
/// Nothing here makes the plain design better or worse than a team would write it: one pooled connection per
/// transaction, the old province read under the person's row lock, the two counter updates in the natural order
/// (leave, then arrive). That order is why it deadlocks: a move 001→079 and a move 079→001 lock the same two rows in
/// opposite orders. A deadlock rolls the whole move back, so it costs throughput, never exactness; whether a caller
/// retries is its choice, hence <c>--retry-deadlocks</c>. The usual fix, updating the two rows in a fixed order, is
/// <c>--ordered-counters</c>: a variant to compare with, not the design a team starts from.
/// </remarks>
internal sealed class RelocateSqlScenario(int people, double hotShare, bool retryDeadlocks, bool orderedCounters)
    : ILoadScenario<RelocateSqlScenario.Worker>, ICheckedAfterRun
{
    public const string ScenarioName = "relocate-sql";

    public const string ScenarioDescription =
        "Each request relocates one person in the plain design: one SQL transaction (read committed) that updates the person's row in plain_relocation.person, decrements the old province's counter and increments the new one's; most moves (60 % by default) go to Hà Nội, Hồ Chí Minh or Đà Nẵng. No silos, no HTTP.";

    public const int DefaultPeople = 1_000_000;

    /// <summary>Attempts after the first when <c>--retry-deadlocks</c> is on.</summary>
    public const int MaxRetries = 3;

    private const string Relocated = "relocated";
    private const string RelocatedAfterRetry = "relocated after retrying";

    /// <summary>Created one at a time by the runner before any runs; read after all have stopped.</summary>
    private readonly List<Worker> workers = [];

    private NpgsqlDataSource? database;
    private byte[] provincesAtStart = [];
    private long movedBack;
    private SeedResult? seeding;
    private TimeSpan vacuum;
    private ExactnessCheck? atStart;
    private ExactnessCheck? afterRun;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var peopleOption = new Option<int>("--people")
        {
            Description = "People plain_relocation.person must hold and the run moves; set-up seeds the missing ones (the same numbers every time).",
            DefaultValueFactory = static _ => DefaultPeople,
        };
        ScenarioCommand.MustBeWithin(peopleOption, 1, 20_000_000);
        var hotShareOption = new Option<double>("--hot-share")
        {
            HelpName = "share",
            Description = "Share of moves to the three hot cities 001 Hà Nội, 079 Hồ Chí Minh, 048 Đà Nẵng (0 to 1); the rest go uniformly to the other 31 provinces.",
            DefaultValueFactory = static _ => RelocationWorkload.DefaultHotShare,
        };
        ScenarioCommand.MustBeWithin(hotShareOption, 0d, 1d);
        var retryOption = new Option<bool>("--retry-deadlocks")
        {
            Description = $"Retry a move that failed with a deadlock (40P01) or a serialization failure (40001), up to {MaxRetries} times; off, such a move is a failed request.",
        };
        var orderedOption = new Option<bool>("--ordered-counters")
        {
            Description = "Update the two province counters in code order instead of leave-then-arrive, so that two moves cannot deadlock on them (the usual fix, as a variant to compare with).",
        };

        return ScenarioCommand.Create(
            new DatabaseTarget(), ScenarioName, ScenarioDescription,
            parse => new RelocateSqlScenario(
                parse.GetValue(peopleOption), parse.GetValue(hotShareOption), parse.GetValue(retryOption), parse.GetValue(orderedOption)),
            peopleOption, hotShareOption, retryOption, orderedOption);
    }

    public async ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        if (people < context.Concurrency)
        {
            throw new ScenarioSetUpException($"Each worker moves people of its own: --people ({people}) must be at least --concurrency ({context.Concurrency}).");
        }

        database = context.Database;
        await PlainRelocationTables.CreateAsync(database, cancellationToken);
        movedBack = await PlainRelocationTables.DeleteMovedAsync(database, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Making {PlainRelocationTables.Schema}.person hold at least {people:N0} people, each in their home province ({movedBack:N0} moved by earlier runs go back)…"));
        seeding = await PlainRelocationTables.SeedAsync(database, people, Console.Out, cancellationToken);
        vacuum = await PlainRelocationTables.VacuumAsync(database, cancellationToken);
        await PlainRelocationTables.RecountAsync(database, cancellationToken);
        atStart = await PlainRelocationTables.CheckAsync(database, cancellationToken);
        provincesAtStart = await PlainRelocationTables.ReadProvincesAsync(database, people, cancellationToken);
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken)
    {
        var workload = new RelocationWorkload(
            people, context.Concurrency, workerIndex, context.Seed, hotShare, person => RelocationWorkload.Provinces[provincesAtStart[person]]);
        var worker = new Worker(workload);
        workers.Add(worker);
        return ValueTask.FromResult(worker);
    }

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var move = worker.Workload.Next();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var (from, refused) = await PlainRelocationTables.MoveAsync(database!, move, orderedCounters, cancellationToken);
                if (refused is { } outcome)
                {
                    return outcome;
                }

                worker.Workload.Moved(move);
                worker.Committed++;
                worker.Retried += attempt > 0 ? 1 : 0;
                // Only after a move whose COMMIT had no answer (a timeout) can the worker's belief be stale.
                worker.StaleOrigins += from == move.From ? 0 : 1;
                return RequestOutcome.Success(attempt == 0 ? Relocated : RelocatedAfterRetry);
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The transaction was rolled back whole: the person and both counters are as they were.
                if (!retryDeadlocks || attempt == MaxRetries)
                {
                    worker.GaveUp += retryDeadlocks ? 1 : 0;
                    var label = exception.SqlState == PostgresErrorCodes.DeadlockDetected ? "deadlock (40P01), rolled back" : "serialization failure (40001), rolled back";
                    // Counted as a refused answer, not as "no answer": PostgreSQL answered at once, and the runner's
                    // pause after no answer would hide the cost of deadlocks instead of measuring it.
                    return RequestOutcome.ContractBreach(retryDeadlocks ? $"{label} {MaxRetries + 1} times" : label, exception.MessageText);
                }

                worker.Retries++;
            }
        }
    }

    public async ValueTask CheckAfterRunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        afterRun = await PlainRelocationTables.CheckAsync(database!, cancellationToken);
        output.WriteLine($"Exactness after the run: {DescribeCheck(afterRun)}");
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters()
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("population", string.Create(CultureInfo.InvariantCulture,
                $"{people:N0} in {PlainRelocationTables.Schema}.person (the schema's own tables; the registry's are not touched)")),
            new("seeding", seeding switch
            {
                null => "none (set-up did not run)",
                { Inserted: 0 } skipped => string.Create(CultureInfo.InvariantCulture, $"none needed: the table already held {skipped.Before:N0} people, none of them moved"),
                var seeded => string.Create(CultureInfo.InvariantCulture,
                    $"{movedBack:N0} people moved by earlier runs deleted; {seeded.Inserted:N0} inserted in {seeded.Loading.TotalSeconds:F1} s (binary COPY of 100,000 a transaction), each in their home province"),
            }),
            new("before the run", string.Create(CultureInfo.InvariantCulture,
                $"VACUUM (ANALYZE) of both tables in {vacuum.TotalSeconds:F1} s; the 34 counters set to count(*) of their people; {(atStart is null ? "not checked" : DescribeCheck(atStart))}")),
            new("one request", "one transaction, read committed, on a connection from the pool: UPDATE person ... FROM (SELECT ... FOR UPDATE) RETURNING the old province; UPDATE province SET residents = residents - 1 (old); UPDATE province SET residents = residents + 1 (new); COMMIT. Four round trips, no prepared statements"),
            new("order of the counter updates", orderedCounters
                ? "by province code (--ordered-counters): two moves lock the two rows in the same order and cannot deadlock on them"
                : "leave, then arrive, as written naturally: a move A→B and a move B→A lock the two rows in opposite orders and can deadlock"),
            new("workload", string.Create(CultureInfo.InvariantCulture,
                $"RelocationWorkload: each worker owns the people n ≡ worker (mod {workers.Count}) and knows where each lives; picks one uniformly and moves them to a province other than their own: {hotShare:P0} to the hot cities {string.Join(", ", RelocationWorkload.HotCities)}, the rest to the other 31 provinces, uniformly within each group")),
            new("moves drawn", DescribeDraws()),
            new("deadlock retries", DescribeRetries()),
        };

        var stale = workers.Sum(static worker => worker.StaleOrigins);
        parameters.Add(new("old province as the worker knew it", stale == 0
            ? "always the one the person's row held"
            : string.Create(CultureInfo.InvariantCulture, $"{stale:N0} moves found the person elsewhere than the worker believed (after a COMMIT without an answer); the counters used the row's own")));
        if (atStart is not null && afterRun is not null)
        {
            parameters.Add(new("hot cities' residents", string.Join("; ", RelocationWorkload.HotCities.Select(code => string.Create(CultureInfo.InvariantCulture,
                $"{code} {Counter(atStart, code):N0} → {Counter(afterRun, code):N0}")))));
        }

        parameters.Add(new("exactness after the run", afterRun is null ? "not checked" : DescribeCheck(afterRun)));
        parameters.Add(new("success", "the transaction committed; a deadlock or serialization failure is a failed request (rolled back)"));
        return parameters;
    }

    private static long? Counter(ExactnessCheck check, string code) =>
        check.Provinces.FirstOrDefault(province => province.Code == code)?.Counter;

    private static string DescribeCheck(ExactnessCheck check) =>
        check.IsExact
            ? string.Create(CultureInfo.InvariantCulture,
                $"exact: the {check.Provinces.Count} counters add up to {check.CounterSum:N0} = the people in the table, and each equals count(*) of its people (no drift)")
            : string.Create(CultureInfo.InvariantCulture,
                $"**drift**: the counters add up to {check.CounterSum:N0} for {check.People:N0} people; ")
              + string.Join(", ", check.Drifting.Select(static province => string.Create(CultureInfo.InvariantCulture,
                  $"{province.Code} {province.Drift:+#,0;-#,0;0} (counter {(province.Counter is { } counter ? counter.ToString("N0", CultureInfo.InvariantCulture) : "missing")}, people {province.People:N0})")));

    private string DescribeDraws()
    {
        var drawn = workers.Sum(static worker => worker.Workload.Drawn);
        var hot = workers.Sum(static worker => worker.Workload.DrawnToHotCities);
        var committed = workers.Sum(static worker => worker.Committed);
        return string.Create(CultureInfo.InvariantCulture,
            $"{drawn:N0} drawn, {(drawn == 0 ? 0 : (double)hot / drawn):P1} to the hot cities; {committed:N0} committed (warm-up included)");
    }

    private string DescribeRetries()
    {
        if (!retryDeadlocks)
        {
            return "off (--retry-deadlocks not given): a deadlock or serialization failure is a failed request";
        }

        var retries = workers.Sum(static worker => worker.Retries);
        var retried = workers.Sum(static worker => worker.Retried);
        var gaveUp = workers.Sum(static worker => worker.GaveUp);
        return string.Create(CultureInfo.InvariantCulture,
            $"on: up to {MaxRetries} at once, the whole transaction again; {retries:N0} retries, {retried:N0} moves committed after retrying, {gaveUp:N0} given up after {MaxRetries} (warm-up included); a retried move's latency includes its failed attempts");
    }

    /// <summary>One worker's share of the workload, and what happened to its moves (summed for the report).</summary>
    internal sealed class Worker(RelocationWorkload workload)
    {
        public RelocationWorkload Workload { get; } = workload;

        public long Committed { get; set; }

        public long Retries { get; set; }

        public long Retried { get; set; }

        public long GaveUp { get; set; }

        public long StaleOrigins { get; set; }
    }
}
