using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Residents;
using Registry.Domain;
using Registry.LoadTests.Reporting;
using Registry.LoadTests.Running;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Cards;

/// <summary>
/// <c>card-sweep</c>: the daily card expiry sweep (issue 12, part 6) over many expired cards. Registering and issuing a
/// million cards through the grains would take hours before the minute being measured, so the command makes one person
/// and card through the grains (the template), then copies their stored grain states (citizen and card), with numbers,
/// document numbers and province replaced, straight into Orleans' grain storage and the card read model: the silos find
/// what they would have stored themselves. Then it starts the sweep of every seeded province for today and measures
/// until the last one is done: each card is one page row, one citizen activation (its state read), one card activation,
/// two state writes, the card's row and its <c>cardExpired</c> event. Not a closed-loop load scenario.
/// </summary>
internal static class CardSweepCommand
{
    private static readonly Actor LoadTest = new("load-test", ActorRole.CentralAdministrator, null);

    // The template: born 10 January 2000, issued 1 January 2019 at 18, so the card ran to the 25th birthday (Law 26/2023
    // Art. 21): last valid day 10 January 2025, expired on any day the benchmark runs.
    private static readonly DateOnly BirthDate = new(2000, 1, 10);
    private static readonly DateOnly IssuedOn = new(2019, 1, 1);

    private static readonly Option<int> Cards = new("--cards")
    {
        HelpName = "count",
        Description = "Expired cards to seed and sweep (at most 1,000,000 per province).",
        DefaultValueFactory = static _ => 100_000,
    };

    private static readonly Option<int> Provinces = new("--provinces")
    {
        HelpName = "count",
        Description = "Province codes of 2024 the cards are spread over, round robin; one sweep each, all running at once as the daily scheduler starts them.",
        DefaultValueFactory = static _ => 63,
    };

    private static readonly Option<int> TimeoutMinutes = new("--timeout")
    {
        HelpName = "minutes",
        Description = "Give up (exit 4, partial report) when the sweeps are not done after this long.",
        DefaultValueFactory = static _ => 120,
    };

    private static readonly Option<string?> Report = new("--report", "-o")
    {
        HelpName = "file",
        Description = "Where the Markdown report goes (default load-tests/reports/card-sweep-<cards>.md).",
    };

    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        ScenarioCommand.MustBeWithin(Cards, 1, 10_000_000);
        ScenarioCommand.MustBeWithin(Provinces, 1, ResidentGenerator.ProvinceCodes2024.Count);
        ScenarioCommand.MustBeWithin(TimeoutMinutes, 1, 600);
        var target = new ClusterTarget();
        var command = new Command("card-sweep",
            "Seed expired cards into grain storage and the read model (copies of one card made through the grains), run today's card expiry sweep of every seeded province, and report its time and rate. Needs a fresh database.")
        {
            Cards, Provinces, TimeoutMinutes, Report,
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
        var cards = parse.GetValue(Cards);
        var provinces = ResidentGenerator.ProvinceCodes2024.Take(parse.GetValue(Provinces)).ToArray();
        if (cards > provinces.Length * (DocumentNumber.SerialsPerSeries - 1))
        {
            await Console.Error.WriteLineAsync($"At most {DocumentNumber.SerialsPerSeries - 1:N0} cards per province; pass more --provinces.");
            return ExitCodes.InvalidArguments;
        }

        if (!target.TryResolve(parse, out var resolved, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.RefusedTarget;
        }

        var reportPath = Path.GetFullPath(parse.GetValue(Report) ?? DefaultReportPath(string.Create(CultureInfo.InvariantCulture, $"card-sweep-{cards}")));
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
            return exception.ExitCode;
        }

        await using (connection)
        {
            var grains = connection.Grains!;
            var database = connection.Database!;
            var today = VietnamCalendar.Today(TimeProvider.System);
            Console.WriteLine($"card-sweep: {cards:N0} expired cards over {provinces.Length} province(s), swept on {today:yyyy-MM-dd}, on {resolved.Description}");

            var template = await MakeTemplateAsync(grains, database, provinces[^1], cancellationToken);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(database, template, provinces, cards, cancellationToken);
            seeding.Stop();
            Console.WriteLine($"seeded {cards:N0} citizens and cards in {seeding.Elapsed.TotalSeconds:N1} s");

            var sweeps = provinces.Select(code => grains.CardExpirySweep(code, today)).ToArray();
            var clock = Stopwatch.StartNew();
            var started = await Task.WhenAll(sweeps.Select(static sweep => sweep.StartAsync()));
            if (started.Any(static progress => progress.Done || progress.Pages > 0))
            {
                await Console.Error.WriteLineAsync("A sweep of today had run already in this database; seed a fresh one.");
                return ExitCodes.NotReady;
            }

            var deadline = TimeSpan.FromMinutes(parse.GetValue(TimeoutMinutes));
            CardExpirySweepProgress[] progress;
            do
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                progress = await Task.WhenAll(sweeps.Select(static sweep => sweep.GetProgressAsync()));
                Console.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r{clock.Elapsed:hh\\:mm\\:ss}  {progress.Sum(static p => p.Expired):N0} expiries recorded, {progress.Count(static p => p.Done)}/{progress.Length} sweeps done   "));
            }
            while (!progress.All(static p => p.Done) && clock.Elapsed < deadline);

            clock.Stop();
            Console.WriteLine();
            var recorded = progress.Sum(static p => p.Expired);
            var events = await ScalarAsync(database, "SELECT count(*) FROM registry.identity_card_event WHERE kind = 'cardExpired'", cancellationToken);
            var left = await ScalarAsync(database, "SELECT count(*) FROM registry.identity_card WHERE state = 'issued'", cancellationToken);
            var silos = await ScalarAsync(database, "SELECT count(*) FROM orleansmembershiptable WHERE status = 3", cancellationToken);
            var done = progress.All(static p => p.Done);
            var rate = recorded / clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"swept {recorded:N0} cards in {clock.Elapsed.TotalSeconds:N1} s ({rate:N0} cards/s); {events:N0} cardExpired events; {left:N0} expired cards still stored as issued"));

            await WriteReportAsync(reportPath, resolved.Description, cards, provinces.Length, silos, seeding.Elapsed, clock.Elapsed, recorded, progress.Sum(static p => p.Pages),
                events, left, done);
            Console.WriteLine($"report: {reportPath}");
            return done && recorded == cards + 1 && events == cards + 1 && left == 0 ? ExitCodes.Ok : ExitCodes.RequestsFailed;
        }
    }

    /// <summary>One person and card made through the grains, and the rows their grains stored.</summary>
    private sealed record Template(string Number, string DocumentNumber, string Province, string ServiceId, string CitizenJson, string CardJson, int CardVersion, DateOnly AppliedOn);

    private static async Task<Template> MakeTemplateAsync(IClusterClient grains, NpgsqlDataSource database, string province, CancellationToken cancellationToken)
    {
        var key = "card-sweep-template-" + Guid.NewGuid().ToString("N");
        var registration = new RegisterResident(key, "Phạm Văn Mẫu", BirthDate, Sex.Male, province) { Actor = LoadTest, ConfirmedNotDuplicate = true };
        if (await grains.Registration(key).RegisterAsync(registration) is not Registered { Resident.PersonalIdNumber: var number })
        {
            throw new InvalidOperationException("The template person was not registered.");
        }

        var citizen = grains.Citizen(number);
        if (await citizen.ApplyForCardAsync(new ApplyForCard(key + "-apply", LoadTest, CardReason.FirstCard, null)) is not CardChanged { Card.DocumentNumber: var document }
            || await citizen.ChangeCardAsync(new ChangeCard(key + "-produce", LoadTest, document, CardStepKind.Production)) is not CardChanged
            || await citizen.ChangeCardAsync(new ChangeCard(key + "-issue", LoadTest, document, CardStepKind.Issue) { IssuedOn = IssuedOn }) is not CardChanged { Card: var card })
        {
            throw new InvalidOperationException("The template card was not issued.");
        }

        // Read back as stored, and the identity columns checked against this tool's own computation before any row is copied.
        var (serviceId, citizenJson) = await StoredAsync(database, number.Value, "citizen", cancellationToken);
        var (_, cardJson) = await StoredAsync(database, "card:" + document.Value, "identityCard", cancellationToken);
        return new Template(number.Value, document.Value, province, serviceId, citizenJson, cardJson, card.Steps.Count, card.AppliedOn);
    }

    private static async Task<(string ServiceId, string Json)> StoredAsync(NpgsqlDataSource database, string key, string stateName, CancellationToken cancellationToken)
    {
        var expected = StoredGrainRow.For(key, stateName);
        await using var command = database.CreateCommand(
            "SELECT grainidhash, graintypehash, serviceid, convert_from(payloadbinary, 'UTF8') FROM orleansstorage " +
            "WHERE graintypestring = $1 AND grainidn0 = $2 AND grainidn1 = $3 AND grainidextensionstring IS NOT DISTINCT FROM $4");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.N0 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.N1 });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)expected.Extension ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"No stored {stateName} state for {key}.");
        }

        if (reader.GetInt32(0) != expected.IdHash || reader.GetInt32(1) != expected.TypeHash)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The stored hashes of {key} ({reader.GetInt32(0)}, {reader.GetInt32(1)}) are not this tool's ({expected.IdHash}, {expected.TypeHash}); seeded rows would not be found."));
        }

        return (reader.GetString(2), reader.GetString(3));
    }

    private static async Task SeedAsync(NpgsqlDataSource database, Template template, string[] provinces, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var citizenType = StoredGrainRow.For(template.Number, "citizen").TypeHash;
        var cardType = StoredGrainRow.For("card:" + template.DocumentNumber, "identityCard").TypeHash;
        var seeded = new List<(string Number, string Document, string Province)>(count);
        for (var i = 0; seeded.Count < count; i++)
        {
            var province = provinces[i % provinces.Length];
            var serial = i / provinces.Length;
            // The template's sex and century digit and birth year (2000, male: "200"), a serial of our own.
            var number = string.Create(CultureInfo.InvariantCulture, $"{province}{template.Number[3..6]}{serial:000000}");
            var document = string.Create(CultureInfo.InvariantCulture, $"A{province[1..]}{serial:000000}");
            if (number != template.Number && document != template.DocumentNumber)
            {
                seeded.Add((number, document, province));
            }
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, version) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var (number, document, province) in seeded)
            {
                var citizen = StoredGrainRow.For(number, "citizen");
                await WriteStateAsync(copy, citizen, citizenType, "citizen", template.ServiceId, Copy(template.CitizenJson, template, number, document, province), cancellationToken);
                var card = StoredGrainRow.For("card:" + document, "identityCard");
                await WriteStateAsync(copy, card, cardType, "identityCard", template.ServiceId, Copy(template.CardJson, template, number, document, province), cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY registry.identity_card (document_number, personal_id, province_code, state, reason, applied_on, issued_on, expires_on, version) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            var expiresOn = BirthDate.AddYears(25);
            foreach (var (number, document, province) in seeded)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(document, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(number, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(province, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync("issued", NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync("firstCard", NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(template.AppliedOn, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(IssuedOn, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(expiresOn, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(template.CardVersion, NpgsqlDbType.Integer, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE registry.identity_card; ANALYZE orleansstorage", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    // The template's state with its number, document number and province replaced: the province appears only as whole
    // JSON strings of three digits, the numbers only as theirs. A projection still marked pending in the template (done in
    // memory, stored at the next write) is marked done, as a registry at rest has it, so that activations cost what they do
    // on a normal day and no more.
    private static byte[] Copy(string json, Template template, string number, string document, string province) =>
        Encoding.UTF8.GetBytes(json.Replace(template.Number, number, StringComparison.Ordinal)
            .Replace(template.DocumentNumber, document, StringComparison.Ordinal)
            .Replace($"\"{template.Province}\"", $"\"{province}\"", StringComparison.Ordinal)
            .Replace("\"projectionPending\":true", "\"projectionPending\":false", StringComparison.Ordinal));

    private static async Task WriteStateAsync(NpgsqlBinaryImporter copy, StoredGrainRow row, int typeHash, string stateName, string serviceId, byte[] payload, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(row.IdHash, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(row.N0, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(row.N1, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(typeHash, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(stateName, NpgsqlDbType.Varchar, cancellationToken);
        if (row.Extension is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(row.Extension, NpgsqlDbType.Varchar, cancellationToken);
        }

        await copy.WriteAsync(serviceId, NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(payload, NpgsqlDbType.Bytea, cancellationToken);
        await copy.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task WriteReportAsync(string path, string target, int cards, int provinces, long silos, TimeSpan seeding, TimeSpan sweep, long recorded, long pages,
        long events, long left, bool done)
    {
        var machine = MachineInfo.Collect();
        var report = new StringBuilder();
        var text = CultureInfo.InvariantCulture;
        report.AppendLine(text, $"# card-sweep: {cards:N0} expired cards");
        report.AppendLine();
        report.AppendLine(text, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine.LogicalCores} logical cores, {machine.MemoryBytes / (1L << 30)} GiB ({machine.CpuModel ?? "unknown CPU"}), {machine.Runtime}; target {target}, {silos} active silo(s).");
        report.AppendLine();
        report.AppendLine("| what | value |");
        report.AppendLine("|---|---|");
        report.AppendLine(text, $"| cards seeded (copies of one card made through the grains; citizen and card states in grain storage, rows in the read model) | {cards:N0} over {provinces} province(s) |");
        report.AppendLine(text, $"| seeding (COPY; not part of the sweep) | {seeding.TotalSeconds:N1} s |");
        report.AppendLine(text, $"| **sweep**: start of {provinces} sweep(s) to the last one done | **{sweep.TotalSeconds:N1} s**, {(done ? "all done" : "NOT all done (timeout)")} |");
        report.AppendLine(text, $"| expiries recorded (the template's card included) | {recorded:N0}: **{recorded / sweep.TotalSeconds:N0} cards/s** |");
        report.AppendLine(text, $"| pages stored | {pages:N0} |");
        report.AppendLine(text, $"| `cardExpired` events in `registry.identity_card_event` | {events:N0} |");
        report.AppendLine(text, $"| expired cards still stored as issued afterwards | {left:N0} |");
        report.AppendLine();
        report.AppendLine("Reproduce: a fresh database and cluster (see the README, Figures), then");
        report.AppendLine(text, $"`dotnet load-tests/Registry.LoadTests/bin/Release/net10.0/Registry.LoadTests.dll card-sweep --cards {cards} --provinces {provinces} --connection \"...\"`.");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report.ToString());
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
}
