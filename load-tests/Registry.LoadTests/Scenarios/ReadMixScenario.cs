using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// <c>read-mix</c>: the reads a registry serves all day, at a mix given on the command line: lookups of a person by
/// number (<c>GET /residents/{n}</c>), searches by the start of a name within a province (<c>GET /residents?name=&amp;province=</c>),
/// and partners' card verifications by document number, machine-readable zone or QR payload
/// (<c>POST /card-verifications</c>). <c>--concurrency</c> workers, each with one request in flight, for <c>--duration</c>
/// seconds. Every one is audited, so the audit log's cost is part of the figure.
/// </summary>
internal sealed class ReadMixScenario(ReadMixScenario.Settings settings) : PlannedScenario
{
    public const string ScenarioName = "read-mix";

    private const string Lookup = "lookup";
    private const string Search = "search";
    private const string ByNumber = "verify by number";
    private const string ByMrz = "verify by MRZ";
    private const string ByQr = "verify by QR";

    private readonly List<(string Number, string NameKey, string Province)> people = [];
    private readonly List<(string Number, string Mrz, string Qr)> cards = [];
    private (string Kind, double Weight)[] mix = [];
    private HttpClient? partner;

    public override string Name => ScenarioName;

    public override string Description =>
        "Lookups by number, searches by name within a province and card verifications by number, MRZ and QR, at a given mix, for a given time.";

    public static PlannedScenarioDefinition Definition()
    {
        var duration = new Option<int>("--duration") { HelpName = "seconds", Description = "Seconds of reads.", DefaultValueFactory = static _ => 60 };
        ScenarioCommand.MustBeWithin(duration, 1, 86_400);
        var mixOption = new Option<string>("--mix") { Description = "Weights of lookup, search, number, mrz and qr, e.g. lookup=50,search=20,number=10,mrz=10,qr=10.", DefaultValueFactory = static _ => "lookup=50,search=20,number=10,mrz=10,qr=10" };
        mixOption.Validators.Add(result =>
        {
            if (ParseMix(result.GetValueOrDefault<string>()) is { Error: { } error })
            {
                result.AddError(error);
            }
        });
        var cardsOption = new Option<int>("--cards") { Description = "Cards issued at seeding for the verifications.", DefaultValueFactory = static _ => 20 };
        ScenarioCommand.MustBeWithin(cardsOption, 1, 1_000);
        var key = new Option<string>("--signing-key-file") { Description = "The key that signs the cluster's tokens, to mint the partner's.", DefaultValueFactory = static _ => VerifyCardsScenario.SigningKeyFile };
        var issuer = new Option<string>("--token-issuer") { Description = "Issuer of the cluster's tokens.", DefaultValueFactory = static _ => "registry-local" };
        var audience = new Option<string>("--token-audience") { Description = "Audience of the cluster's tokens.", DefaultValueFactory = static _ => "registry-api" };
        return new PlannedScenarioDefinition(ScenarioName, "Lookups, searches and card verifications (number, MRZ, QR) at a given mix.",
            [duration, mixOption, cardsOption, key, issuer, audience],
            parse => new ReadMixScenario(new Settings(TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(mixOption)!, parse.GetValue(cardsOption),
                parse.GetValue(key)!, parse.GetValue(issuer)!, parse.GetValue(audience)!)));
    }

    /// <summary>The mix as weights by kind, or what is wrong with it.</summary>
    internal static ((string Kind, double Weight)[] Weights, string? Error) ParseMix(string? text)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal) { ["lookup"] = Lookup, ["search"] = Search, ["number"] = ByNumber, ["mrz"] = ByMrz, ["qr"] = ByQr };
        var weights = new List<(string, double)>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || !kinds.TryGetValue(pair[0], out var kind))
            {
                return ([], $"--mix: '{part}' is not kind=weight with a kind of {string.Join(", ", kinds.Keys)}.");
            }

            if (!double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight < 0 || double.IsInfinity(weight))
            {
                return ([], $"--mix: the weight of {pair[0]} is not a number of 0 or more.");
            }

            weights.Add((kind, weight));
        }

        return weights.Sum(static weight => weight.Item2) > 0 ? ([.. weights], null) : ([], "--mix: give at least one kind a weight above 0.");
    }

    /// <summary>Seeding: a sample of people from the read model, cards issued to some of them, their faces, and a partner.</summary>
    public override async Task SeedAsync(PlanContext context, PhaseProgress progress)
    {
        mix = ParseMix(settings.Mix).Weights;
        progress.Status = "sampling people from the read model";
        await using (var command = context.Database.CreateCommand(
            "SELECT personal_id, name_key, permanent_residence_province FROM registry.resident WHERE alive AND superseded_by IS NULL AND permanent_residence_province IS NOT NULL ORDER BY random() LIMIT 20000"))
        await using (var reader = await command.ExecuteReaderAsync(context.Cancellation))
        {
            while (await reader.ReadAsync(context.Cancellation))
            {
                people.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (people.Count == 0)
        {
            throw new InvalidOperationException("The registry holds no living residents: run `seed` first.");
        }

        progress.SetTotal(settings.Cards);
        progress.Status = "cards for the verifications";
        var random = context.RandomFor(1);
        var issued = await MassMigrationScenario.IssueCardsAsync(context, people.OrderBy(_ => random.Next()).Select(static person => person.Number), settings.Cards, progress);
        foreach (var number in issued)
        {
            using var face = JsonDocument.Parse(await context.Api.GetStringAsync($"cards/{number}/face", context.Cancellation));
            cards.Add((number, string.Join('\n', face.RootElement.GetProperty("mrz").EnumerateArray().Select(static line => line.GetString())), face.RootElement.GetProperty("qr").GetString()!));
        }

        partner = await MassMigrationScenario.PartnerAsync(context, settings.SigningKeyFile, settings.TokenIssuer, settings.TokenAudience);
    }

    public override async Task RunAsync(PlanContext context, PhaseProgress progress)
    {
        progress.Status = "reading";
        progress.SetTotal((long)settings.Duration.TotalSeconds);
        context.Timeline.Mark("reads begin");
        var clock = Stopwatch.StartNew();
        var total = mix.Sum(static weight => weight.Weight);
        await Task.WhenAll(Enumerable.Range(0, context.Concurrency).Select(async worker =>
        {
            var random = context.RandomFor(10 + worker);
            while (clock.Elapsed < settings.Duration)
            {
                var draw = random.NextDouble() * total;
                var kind = mix.First(weight => (draw -= weight.Weight) < 0 || weight == mix[^1]).Kind;
                await (kind == Lookup ? LookUpAsync(context, people[random.Next(people.Count)].Number)
                    : kind == Search ? SearchAsync(context, people[random.Next(people.Count)])
                    : VerifyAsync(context, kind, cards[random.Next(cards.Count)]));
                if (worker == 0)
                {
                    progress.Advance((long)clock.Elapsed.TotalSeconds - progress.Done);
                }
            }
        }));
        context.Timeline.Mark("reads end");
    }

    public override IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("mix", string.Join(", ", mix.Select(static weight => string.Create(CultureInfo.InvariantCulture, $"{weight.Kind} {weight.Weight:0.##}")))),
        new("duration", string.Create(CultureInfo.InvariantCulture, $"{settings.Duration.TotalSeconds:N0} s, closed loop, one request in flight per worker")),
        new("people", string.Create(CultureInfo.InvariantCulture,
            $"{people.Count:N0} living residents drawn at random from the read model; a search asks the first two words of a sampled person's folded name within their province (one page of 20)")),
        new("cards", string.Create(CultureInfo.InvariantCulture, $"{cards.Count} issued at seeding; verified by a ministry partner (purpose banking-kyc) by document number, MRZ (3 lines) or QR payload")),
    ];

    private static Task<RequestOutcome> LookUpAsync(PlanContext context, string number) =>
        context.TimeAsync(Lookup, async cancellationToken => await ResidentsApi.GetAsync(context.Api, number, cancellationToken));

    private static Task<RequestOutcome> SearchAsync(PlanContext context, (string Number, string NameKey, string Province) person) =>
        context.TimeAsync(Search, async cancellationToken =>
        {
            var name = string.Join(' ', person.NameKey.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));
            using var response = await context.Api.GetAsync($"residents?name={Uri.EscapeDataString(name)}&province={person.Province}&limit=20", cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return RequestOutcome.UnexpectedStatus(response.StatusCode, text);
            }

            // The sampled person matches the query, so a page without anyone breaks the search's contract.
            using var page = JsonDocument.Parse(text);
            return page.RootElement.GetProperty("residents").GetArrayLength() > 0
                ? RequestOutcome.Success(response.StatusCode)
                : RequestOutcome.ContractBreach("200 with nobody for a name someone has", text);
        });

    private Task<RequestOutcome> VerifyAsync(PlanContext context, string kind, (string Number, string Mrz, string Qr) card) =>
        context.TimeAsync(kind, async cancellationToken =>
        {
            var body = kind == ByNumber ? new JsonObject { ["documentNumber"] = card.Number }
                : kind == ByMrz ? new JsonObject { ["mrz"] = card.Mrz }
                : new JsonObject { ["qr"] = card.Qr };
            using var response = await partner!.PostAsJsonAsync("card-verifications", body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.StatusCode != HttpStatusCode.OK ? RequestOutcome.UnexpectedStatus(response.StatusCode, text)
                : text.Contains("\"valid\"", StringComparison.Ordinal) ? RequestOutcome.Success(response.StatusCode)
                : RequestOutcome.ContractBreach("200 but not valid", text);
        });

    /// <summary>The scenario's options.</summary>
    internal sealed record Settings(TimeSpan Duration, string Mix, int Cards, string SigningKeyFile, string TokenIssuer, string TokenAudience);
}
