using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Running;
using ContractId = Registry.Contracts.Identity.PersonalIdNumber;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// The grain design of issue 4's comparison: every relocation is one <c>ICitizenGrain.RelocateAsync</c> call from a
/// cluster client, which stores the move with the counts it owes, tells the two provinces' counter shards, feeds the
/// read model, and answers once all of that is durable. The moves are <see cref="RelocationWorkload"/>'s, the same the
/// plain design (<c>relocate-sql</c>) is measured with; after the run every province's counter is compared with the
/// read model, which must agree exactly.
/// </summary>
internal sealed class RelocateGrainsScenario(int people, double hotShare) : ILoadScenario<RelocateGrainsScenario.Worker>, ICheckedAfterRun
{
    public const string ScenarioName = "relocate-grains";

    public const string ScenarioDescription =
        "Each request relocates one person through one grain call (ICitizenGrain.RelocateAsync) from an Orleans cluster client: the citizen stores the move and the counts it owes, the old and new provinces' counter shards record them, the read model follows, all durable in PostgreSQL before the answer; most moves (60 % by default) go to Hà Nội, Hồ Chí Minh or Đà Nẵng.";

    public const int DefaultPeople = 20_000;

    /// <summary>Communes registered per province; the workload's commune codes are folded onto them.</summary>
    private const int CommunesPerProvince = 10;

    private static readonly Actor LoadTest = new("load-test", ActorRole.CentralAdministrator, null);

    /// <summary>How long the check after the run keeps asking a province for its counters.</summary>
    private static readonly TimeSpan CheckBound = TimeSpan.FromSeconds(120);

    private readonly List<Worker> workers = [];
    private string[] provincesAtStart = [];
    private TimeSpan seeding;
    private readonly Dictionary<string, string[]> communes = new(StringComparer.Ordinal);
    private long seeded;
    private NpgsqlDataSource? database;
    private IGrainFactory? grains;
    private Drift? afterRun;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var peopleOption = new Option<int>("--people")
        {
            Description = "People the run moves; set-up registers the missing ones through the registration grain (with the workload's numbers, idempotently).",
            DefaultValueFactory = static _ => DefaultPeople,
        };
        ScenarioCommand.MustBeWithin(peopleOption, 1, 2_000_000);
        var hotShareOption = new Option<double>("--hot-share")
        {
            HelpName = "share",
            Description = "Share of moves to the three hot cities 001 Hà Nội, 079 Hồ Chí Minh, 048 Đà Nẵng (0 to 1); the rest go uniformly to the other 31 provinces.",
            DefaultValueFactory = static _ => RelocationWorkload.DefaultHotShare,
        };
        ScenarioCommand.MustBeWithin(hotShareOption, 0d, 1d);
        return ScenarioCommand.Create(
            new ClusterTarget(), ScenarioName, ScenarioDescription,
            parse => new RelocateGrainsScenario(parse.GetValue(peopleOption), parse.GetValue(hotShareOption)), peopleOption, hotShareOption);
    }

    public async ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        if (people < context.Concurrency)
        {
            throw new ScenarioSetUpException($"Each worker moves people of its own: --people ({people}) must be at least --concurrency ({context.Concurrency}).");
        }

        (grains, database) = (context.Grains, context.Database);
        foreach (var province in RelocationWorkload.Provinces)
        {
            communes[province] = await CommunesOfAsync(grains.Province(province), province);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Registering the {people:N0} people of the workload (idempotent: those registered by earlier runs are replays)…"));
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, people), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (person, _) =>
        {
            if (await RegisterAsync(grains, person))
            {
                Interlocked.Increment(ref seeded);
            }
        });
        seeding = clock.Elapsed;
        provincesAtStart = await ReadProvincesAsync(database, cancellationToken);
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken)
    {
        var worker = new Worker(
            context.Grains,
            new RelocationWorkload(people, context.Concurrency, workerIndex, context.Seed, hotShare, person => provincesAtStart[person]),
            new IdempotencyKeys(context.RunId, "w" + workerIndex.ToString(CultureInfo.InvariantCulture)));
        workers.Add(worker);
        return ValueTask.FromResult(worker);
    }

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var move = worker.Workload.Next();
        var commune = communes[move.To][int.Parse(move.Commune, CultureInfo.InvariantCulture) % CommunesPerProvince];
        var command = new Relocate(worker.Keys.Next(), LoadTest, new ResidenceAddress(move.To, commune, move.Address), DateOnly.FromDateTime(DateTime.UtcNow), null);
        var outcome = await worker.Grains.Citizen(Number(move.PersonalId)).RelocateAsync(command);
        switch (outcome)
        {
            case Changed { Replayed: false } changed when changed.Resident.PermanentResidenceProvince == move.To:
                worker.Workload.Moved(move);
                return RequestOutcome.Success("relocated");
            case Changed:
                return RequestOutcome.ContractBreach("Changed, but not as asked (a replay, or another province)", command.IdempotencyKey);
            case ChangeRefused refused:
                return RequestOutcome.ContractBreach("refused: " + refused.Refusal.Kind, string.Join("; ", refused.Refusal.Errors.Select(static error => $"{error.Field}: {error.Message}")));
            default:
                return RequestOutcome.ContractBreach("unknown outcome " + outcome.GetType().Name, null);
        }
    }

    public async ValueTask CheckAfterRunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var census = await new ResidentCensus(database!).CountByProvinceAsync(cancellationToken);
        // A cold cluster activates 63 provinces' counter shards at once and the first calls can time out: each province
        // is asked again with backoff within a bound, and one that never answers fails the check (reported, not thrown).
        var asked = await Task.WhenAll(ProvinceCatalog.All2024.Select(province => Bounded.UntilAsync(
            _ => grains!.Province(province.Code).GetCountsAsync(), static _ => true, CheckBound, cancellationToken)));
        if (asked.FirstOrDefault(static answer => !answer.Done) is { } silent)
        {
            throw new TimeoutException($"A province's counters did not answer within {CheckBound.TotalSeconds:F0} s ({silent.Attempts} attempts): {silent.LastFailure?.Message}", silent.LastFailure);
        }

        var counted = asked.Select(static answer => answer.Last!).ToArray();
        var drifting = counted.Where(counts => counts.Residents != census.GetValueOrDefault(counts.ProvinceCode))
            .Select(counts => (counts.ProvinceCode, counts.Residents - census.GetValueOrDefault(counts.ProvinceCode)))
            .ToArray();
        afterRun = new Drift(counted.Sum(static counts => counts.Residents), census.Values.Sum(), drifting);
        output.WriteLine($"Exactness after the run: {Describe(afterRun)}");
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("population", string.Create(CultureInfo.InvariantCulture,
            $"{people:N0} people with the workload's numbers, registered through IRegistrationGrain with issued numbers; {seeded:N0} newly registered at set-up in {seeding.TotalSeconds:F1} s, the rest by earlier runs")),
        new("communes", string.Create(CultureInfo.InvariantCulture,
            $"{CommunesPerProvince} per province: the first of the national list in force, or registered at set-up when no list was imported; the workload's commune code modulo {CommunesPerProvince} picks one")),
        new("one request", "ICitizenGrain.RelocateAsync with a fresh relocation id: mark the citizen unfinished (group commit), store the move with the counts it owes (one grain-state write), the departure and arrival in the two provinces' counter shards (ledger rows, group commit) and the read model (group commit) concurrently, then mark done"),
        new("workload", string.Create(CultureInfo.InvariantCulture,
            $"RelocationWorkload: each worker owns the people n ≡ worker (mod {workers.Count}) and knows where each lives; picks one uniformly and moves them to a province other than their own: {hotShare:P0} to the hot cities {string.Join(", ", RelocationWorkload.HotCities)}, the rest to the other 31 provinces")),
        new("moves drawn", string.Create(CultureInfo.InvariantCulture,
            $"{workers.Sum(static worker => worker.Workload.Drawn):N0} drawn, {workers.Sum(static worker => worker.Workload.DrawnToHotCities):N0} to the hot cities (warm-up included)")),
        new("exactness after the run", afterRun is null ? "not checked" : Describe(afterRun)),
        new("success", "Changed, not a replay, with the person in the destination province; anything else is a failed request"),
    ];

    // With a national commune list in force (up.sh imports it when ../shared/data has it) a province accepts only its own
    // communes of the list: the workload moves people into the first of them. Without one, it registers communes of its
    // own, five digits unique in the country: the province's place among the 34, then the commune's.
    private static async Task<string[]> CommunesOfAsync(IProvinceGrain grain, string province)
    {
        if (await grain.GetCommuneListAsync() is not null)
        {
            var listed = (await grain.GetCommunesAsync()).Select(static commune => commune.Code).Order(StringComparer.Ordinal).Take(CommunesPerProvince).ToArray();
            return listed.Length == CommunesPerProvince
                ? listed
                : throw new ScenarioSetUpException($"Province {province} has {listed.Length} communes in the list in force; the workload needs {CommunesPerProvince}.");
        }

        var invented = new string[CommunesPerProvince];
        for (var k = 0; k < CommunesPerProvince; k++)
        {
            invented[k] = string.Create(CultureInfo.InvariantCulture, $"{RelocationWorkload.Provinces.ToList().IndexOf(province):00}{k:000}");
            if (await grain.SetCommuneAsync(new Commune(invented[k], "Phường thử " + invented[k])) is { } refused)
            {
                throw new ScenarioSetUpException($"Commune {invented[k]} of {province} refused: {refused}");
            }
        }

        return invented;
    }

    private static ContractId Number(string personalId) =>
        ContractId.TryParse(personalId, out var number, out var error) ? number : throw new InvalidOperationException(error);

    private static async Task<bool> RegisterAsync(IGrainFactory grains, int person)
    {
        var number = Number(RelocationWorkload.PersonalIdOf(person));
        var birthDate = new DateOnly(number.BirthYear, 1 + (person % 12), 1 + (person % 28));
        var command = new RegisterResident($"relocation-people-{number}", $"Người Thử {person}", birthDate, number.Sex, number.BirthRegistrationProvince)
        {
            Actor = LoadTest,
            IssuedNumber = number,
            ConfirmedNotDuplicate = true,
        };
        return await grains.Registration(command.IdempotencyKey).RegisterAsync(command) switch
        {
            Registered registered => !registered.Replayed,
            // Held already, by this person from an earlier set-up run.
            RegistrationRefused { Refusal.Errors: [{ Field: "issuedNumber" }] } => false,
            var other => throw new ScenarioSetUpException($"Registering person {person} ({number}) failed: {other}"),
        };
    }

    // Where each person lives now, from the read model: earlier runs moved them.
    private async Task<string[]> ReadProvincesAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        var provinces = new string[people];
        await using var command = source.CreateCommand("SELECT personal_id, permanent_residence_province FROM registry.resident WHERE personal_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]>
        {
            TypedValue = [.. Enumerable.Range(0, people).Select(RelocationWorkload.PersonalIdOf)],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char,
        });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (RelocationWorkload.TryPersonOf(reader.GetString(0), out var person))
            {
                provinces[person] = reader.GetString(1);
            }
        }

        var missing = Array.FindIndex(provinces, static province => province is null);
        return missing < 0 ? provinces : throw new ScenarioSetUpException($"Person {missing} ({RelocationWorkload.PersonalIdOf(missing)}) is not in the read model after registration.");
    }

    private static string Describe(Drift drift) =>
        drift.Drifting.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"exact: the province counters add up to {drift.Counted:N0} = the living people in the read model, and each province equals its count there (no drift)")
            : string.Create(CultureInfo.InvariantCulture, $"**drift**: counters {drift.Counted:N0}, read model {drift.InReadModel:N0}; ")
              + string.Join(", ", drift.Drifting.Select(static province => string.Create(CultureInfo.InvariantCulture, $"{province.Code} {province.Drift:+#,0;-#,0}")));

    private sealed record Drift(long Counted, long InReadModel, (string Code, long Drift)[] Drifting);

    /// <summary>One worker's share of the workload and its key sequence; used by that worker only.</summary>
    internal sealed record Worker(IGrainFactory Grains, RelocationWorkload Workload, IdempotencyKeys Keys);
}
