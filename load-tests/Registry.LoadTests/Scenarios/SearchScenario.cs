using System.CommandLine;
using System.Globalization;
using Npgsql;
using Registry.Database.Residents;
using Registry.Domain.Residents;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Read-model queries on a realistic table: set-up makes <c>registry.resident</c> hold at least <c>--people</c>
/// synthetic people (binary COPY), then every request is one <see cref="ResidentDirectory"/> call of a mix a
/// provincial desk and the registration path would send: a name prefix, a name with a birth year, a name prefix
/// within a province, and the duplicate check of a registration.
/// </summary>
internal sealed class SearchScenario(int people, int samples) : ILoadScenario<SearchScenario.Worker>
{
    public const string ScenarioName = "search";

    public const string ScenarioDescription =
        "Each request is one read-model query in PostgreSQL (ResidentDirectory, no HTTP, no silos): a mix of name-prefix searches, with a birth year or a province, and duplicate-candidate lookups, on a table of synthetic people seeded at set-up.";

    public const int DefaultPeople = 1_000_000;

    public const int DefaultSamples = 10_000;

    private const string NamePrefix = "name prefix";
    private const string NameAndYear = "name + birth year";
    private const string ProvinceAndName = "province + name prefix";
    private const string Duplicates = "duplicate candidates";

    /// <summary>The mix, in requests out of 100: searches by name dominate a desk's day; every registration checks duplicates once.</summary>
    private static readonly (string Kind, int Weight)[] Mix = [(NamePrefix, 35), (NameAndYear, 25), (ProvinceAndName, 25), (Duplicates, 15)];

    private ResidentDirectory? directory;
    private KnownPerson[] known = [];
    private SeedResult? seeding;
    private TableFacts? facts;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var peopleOption = new Option<int>("--people")
        {
            Description = "People registry.resident must hold; set-up seeds the missing ones (the same synthetic people every time). 0 seeds nothing.",
            DefaultValueFactory = static _ => DefaultPeople,
        };
        ScenarioCommand.MustBeWithin(peopleOption, 0, 20_000_000);
        var samplesOption = new Option<int>("--samples")
        {
            Description = "People drawn from the table at set-up; each duplicate lookup checks one of them and must find them.",
            DefaultValueFactory = static _ => DefaultSamples,
        };
        ScenarioCommand.MustBeWithin(samplesOption, 1, 1_000_000);

        return ScenarioCommand.Create(
            new DatabaseTarget(), ScenarioName, ScenarioDescription,
            parse => new SearchScenario(parse.GetValue(peopleOption), parse.GetValue(samplesOption)), peopleOption, samplesOption);
    }

    public async ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var database = context.Database;
        if (people > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Making registry.resident hold at least {people:N0} people…"));
            seeding = await PeopleSeeder.SeedAsync(database, people, Console.Out, cancellationToken);
        }

        known = await SampleAsync(database, context.Seed, samples, cancellationToken);
        if (known.Length == 0)
        {
            throw new ScenarioSetUpException("registry.resident holds nobody to search for; run with --people greater than 0.");
        }

        facts = await TableFacts.ReadAsync(database, cancellationToken);
        directory = new ResidentDirectory(database);
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken)
    {
        var random = context.RandomFor(workerIndex);
        return ValueTask.FromResult(new Worker(random, new SyntheticPeople(random, workerIndex)));
    }

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var kind = Pick(worker.Random);
        if (kind == Duplicates)
        {
            var person = known[worker.Random.Next(known.Length)];
            var candidates = await directory!.FindDuplicateCandidatesAsync(person.FullName, person.BirthDate, person.BirthProvince, cancellationToken);
            return candidates.Any(candidate => candidate.PersonalIdNumber.Value == person.Number)
                ? RequestOutcome.Success(kind)
                : RequestOutcome.ContractBreach("known person not among duplicate candidates", $"{person.Number} {person.FullName}");
        }

        // Names drawn like the seeded ones, so prefixes are as common as in the table (Nguyễn about 38 %).
        var subject = worker.People.Next();
        var words = NameFolding.Fold(subject.FullName).Split(' ');
        var query = kind switch
        {
            // "nguyen van a": family and middle names, and the first letter of the given name.
            NamePrefix => new ResidentQuery(string.Join(' ', words[..^1]) + " " + words[^1][0], null, null),
            // "tran thi hoa" born in 1987: a whole name with the year a caller knows.
            NameAndYear => new ResidentQuery(string.Join(' ', words), subject.BirthDate.Year, null),
            // "le th" in 079: the family name and two letters more, within a province.
            _ => new ResidentQuery(words[0] + " " + words[1][..Math.Min(2, words[1].Length)], null, subject.ResidenceProvince),
        };
        var page = await directory!.SearchAsync(query, cancellationToken);
        return page.Residents.FirstOrDefault(resident => !Matches(query, resident)) is { } stray
            ? RequestOutcome.ContractBreach($"{kind}: a listed person does not match", $"{stray.PersonalIdNumber} {stray.FullName} for {query}")
            : RequestOutcome.Success(kind);
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters()
    {
        var parameters = new List<KeyValuePair<string, string>>();
        if (facts is { } table)
        {
            parameters.Add(new("people in registry.resident", string.Create(CultureInfo.InvariantCulture,
                $"{table.Rows:N0} ({table.Dead:N0} dead, {table.Superseded:N0} superseded numbers)")));
            parameters.Add(new("table size", string.Create(CultureInfo.InvariantCulture,
                $"{Mib(table.HeapBytes)} rows, {Mib(table.IndexBytes)} indexes ({string.Join(", ", table.Indexes.Select(index => $"{index.Name} {Mib(index.Bytes)}"))})")));
        }

        parameters.Add(new("seeding", seeding switch
        {
            null => "none (--people 0)",
            { Inserted: 0 } skipped => string.Create(CultureInfo.InvariantCulture, $"none needed: the table already held {skipped.Before:N0} people"),
            var seeded => string.Create(CultureInfo.InvariantCulture,
                $"{seeded.Inserted:N0} people inserted in {seeded.Loading.TotalSeconds:F1} s ({seeded.Inserted / Math.Max(0.001, seeded.Loading.TotalSeconds):N0}/s; binary COPY of 100,000 a transaction, all indexes in place), then VACUUM ANALYZE in {seeded.Vacuum.TotalSeconds:F1} s"),
        }));
        parameters.Add(new("request mix", string.Join(", ", Mix.Select(entry => $"{entry.Kind} {entry.Weight} %"))
            + "; searches ask for the default page of 20"));
        parameters.Add(new("duplicate lookups", string.Create(CultureInfo.InvariantCulture,
            $"{known.Length:N0} people drawn from the table at set-up; each lookup gives one's name, birth date and birth province")));
        parameters.Add(new("success", "searches: every listed person matches the query (folded name prefix, year, province); duplicate lookups: the known person is among the candidates"));
        return parameters;
    }

    private static string Pick(Random random)
    {
        var ticket = random.Next(100);
        foreach (var (kind, weight) in Mix)
        {
            if (ticket < weight)
            {
                return kind;
            }

            ticket -= weight;
        }

        return Mix[0].Kind;
    }

    private static bool Matches(ResidentQuery query, ResidentSummary resident) =>
        NameFolding.Fold(resident.FullName).StartsWith(query.NameKey ?? "", StringComparison.Ordinal)
        && (query.BirthYear is not { } year || resident.BirthDate.Year == year)
        && (query.Province is not { } province || resident.PermanentResidenceProvince == province);

    private static async Task<KnownPerson[]> SampleAsync(NpgsqlDataSource database, int seed, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // setseed makes the sample, like the rest of the run, follow --seed.
        await using (var setSeed = new NpgsqlCommand("SELECT setseed($1)", connection))
        {
            setSeed.Parameters.Add(new NpgsqlParameter<double> { TypedValue = (seed % 1_000_000) / 1_000_000d });
            await setSeed.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT personal_id, full_name, birth_date, birth_registration_province FROM registry.resident
            WHERE superseded_by IS NULL ORDER BY random() LIMIT $1
            """, connection);
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sample = new List<KnownPerson>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sample.Add(new KnownPerson(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3)));
        }

        return [.. sample];
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d / 1024:N0} MiB");

    /// <summary>One worker's random source and the people it makes up to search for.</summary>
    internal sealed record Worker(Random Random, SyntheticPeople People);

    /// <summary>Someone in the table, for duplicate lookups.</summary>
    private sealed record KnownPerson(string Number, string FullName, DateOnly BirthDate, string BirthProvince);

    /// <summary>What the report says about the table searched.</summary>
    private sealed record TableFacts(long Rows, long Dead, long Superseded, long HeapBytes, long IndexBytes, IReadOnlyList<(string Name, long Bytes)> Indexes)
    {
        public static async Task<TableFacts> ReadAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
        {
            await using var command = database.CreateCommand(
                """
                SELECT count(*), count(*) FILTER (WHERE NOT alive), count(superseded_by),
                       pg_table_size('registry.resident'), pg_indexes_size('registry.resident')
                FROM registry.resident;
                SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index
                WHERE indrelid = 'registry.resident'::regclass ORDER BY 1;
                """);
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (rows, dead, superseded, heap, indexes) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            await reader.NextResultAsync(cancellationToken);
            var each = new List<(string, long)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                each.Add((reader.GetString(0).Replace("registry.", "", StringComparison.Ordinal), reader.GetInt64(1)));
            }

            return new TableFacts(rows, dead, superseded, heap, indexes, each);
        }
    }
}
