using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Running;
using Registry.Tokens;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// <c>mass-migration</c>: a share of the people in the registry moves within a time window, most of them from the
/// provinces into the five big cities, some as households (<c>POST /households/relocations</c>, all members or none),
/// the others one by one (<c>POST /residents/{n}/relocations</c>), while reads of residents and partners' card
/// verifications run beside at set rates. Then the plain design (<see cref="PlainRelocationTables"/>: one SQL
/// transaction per move) runs as many moves at the same concurrency with the same destinations' skew, on the same
/// PostgreSQL, and the report gives the ratio.
/// </summary>
internal sealed class MassMigrationScenario(MassMigrationScenario.Settings settings) : PlannedScenario
{
    public const string ScenarioName = "mass-migration";

    private const string MoveOperation = "relocation";
    private const string HouseholdOperation = "household relocation";
    private const string ReadOperation = "read resident";
    private const string VerifyOperation = "card verification";
    private const string BaselineOperation = "baseline: plain SQL relocation";
    private const string Purpose = "banking-kyc";

    /// <summary>Communes registered in a province that has none (no national list imported); codes 9PPKK never collide with a real one.</summary>
    private const int InventedCommunes = 3;

    private readonly Dictionary<string, string[]> communes = new(StringComparer.Ordinal);
    private readonly List<string> documentNumbers = [];
    private readonly List<(string Number, string Province)> population = [];
    private List<PlannedMove> plan = [];
    private HttpClient? partner;
    private readonly ClusterFault fault = new(settings.Fault, settings.Silo, settings.RepairAfter);
    private readonly TimeSpan retryWithin = settings.RetryWithin ?? (settings.Fault == ClusterFault.None ? TimeSpan.Zero : TimeSpan.FromSeconds(120));
    private long retries;
    private long retriedThenAcknowledged;
    private long retriedInVain;
    private RecoveryTime? recovery;
    private double migrationStart;
    private int notStarted;
    private TimeSpan migration;
    private TimeSpan baseline;
    private long baselineCommitted;
    private string baselineNote = "not run";

    public override string Name => ScenarioName;

    public override string Description =>
        "A share of the registry's people relocates within a time window, mostly from the provinces into the big cities, households included, with resident reads and card verifications beside; then the plain SQL design at the same concurrency and skew as a baseline.";

    public static PlannedScenarioDefinition Definition()
    {
        var share = new Option<double>("--share") { Description = "Share of the people in the registry who move (0 to 1).", DefaultValueFactory = static _ => 0.1 };
        ScenarioCommand.MustBeWithin(share, 0d, 1d);
        var moves = new Option<int?>("--moves") { Description = "People who move, instead of --share (e.g. for a small run)." };
        var window = new Option<int>("--window") { HelpName = "seconds", Description = "The time window of the migration: no move starts after it.", DefaultValueFactory = static _ => 60 };
        ScenarioCommand.MustBeWithin(window, 1, 86_400);
        var cityShare = new Option<double>("--city-share") { Description = "Share of moves into the five big cities (Hà Nội, Hải Phòng, Đà Nẵng, Hồ Chí Minh City, Cần Thơ).", DefaultValueFactory = static _ => 0.7 };
        ScenarioCommand.MustBeWithin(cityShare, 0d, 1d);
        var householdShare = new Option<double>("--household-share") { Description = "Share of the movers who move as households of 2 to 4 from the same province.", DefaultValueFactory = static _ => 0.3 };
        ScenarioCommand.MustBeWithin(householdShare, 0d, 1d);
        var reads = new Option<double>("--reads-per-second") { Description = "Resident reads (GET /residents/{n}) per second beside the moves.", DefaultValueFactory = static _ => 20 };
        ScenarioCommand.MustBeWithin(reads, 0d, 10_000d);
        var verifications = new Option<double>("--verifications-per-second") { Description = "Card verifications by a partner per second beside the moves.", DefaultValueFactory = static _ => 10 };
        ScenarioCommand.MustBeWithin(verifications, 0d, 10_000d);
        var cards = new Option<int>("--cards") { Description = "Cards issued at seeding for the verifications.", DefaultValueFactory = static _ => 10 };
        ScenarioCommand.MustBeWithin(cards, 1, 1_000);
        var key = new Option<string>("--signing-key-file") { Description = "The key that signs the cluster's tokens, to mint the partner's.", DefaultValueFactory = static _ => VerifyCardsScenario.SigningKeyFile };
        var issuer = new Option<string>("--token-issuer") { Description = "Issuer of the cluster's tokens.", DefaultValueFactory = static _ => "registry-local" };
        var audience = new Option<string>("--token-audience") { Description = "Audience of the cluster's tokens.", DefaultValueFactory = static _ => "registry-api" };
        var baselineOption = new Option<string>("--baseline") { Description = "The plain design run after the migration: plain (as written), ordered (counters in code order) or none.", DefaultValueFactory = static _ => "plain" };
        baselineOption.AcceptOnlyFromAmong("plain", "ordered", "none");
        var faultOption = new Option<string>("--fault") { Description = "A fault injected into up.sh's cluster mid-run: none, kill-silo, add-silo or restart-postgres.", DefaultValueFactory = static _ => ClusterFault.None };
        faultOption.AcceptOnlyFromAmong(ClusterFault.Kinds);
        var faultAt = new Option<int>("--fault-at") { HelpName = "seconds", Description = "Seconds into the migration when the fault is injected.", DefaultValueFactory = static _ => 30 };
        ScenarioCommand.MustBeWithin(faultAt, 0, 86_400);
        var silo = new Option<int>("--silo") { Description = "The silo kill-silo kills (its pid in .local/run/silo-N.pid).", DefaultValueFactory = static _ => 2 };
        ScenarioCommand.MustBeWithin(silo, 1, 64);
        var repairAfter = new Option<int>("--repair-after") { HelpName = "seconds", Description = "Seconds after a kill-silo before up.sh --no-build starts it again.", DefaultValueFactory = static _ => 5 };
        ScenarioCommand.MustBeWithin(repairAfter, 0, 3_600);
        var retryWithinOption = new Option<int?>("--retry-within") { HelpName = "seconds", Description = "How long a move that got no answer, a 5xx or a 429 is sent again with its idempotency key (default 120 with a fault, 0 without)." };
        retryWithinOption.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0 or > 3_600)
            {
                result.AddError("--retry-within must be from 0 to 3600 seconds.");
            }
        });
        return new PlannedScenarioDefinition(ScenarioName, "Relocate a share of the population within a time window, mostly into the big cities, with reads and verifications beside, and the plain SQL baseline.",
            [share, moves, window, cityShare, householdShare, reads, verifications, cards, key, issuer, audience, baselineOption, faultOption, faultAt, silo, repairAfter, retryWithinOption],
            parse => new MassMigrationScenario(new Settings(
                parse.GetValue(share), parse.GetValue(moves), TimeSpan.FromSeconds(parse.GetValue(window)), parse.GetValue(cityShare), parse.GetValue(householdShare),
                parse.GetValue(reads), parse.GetValue(verifications), parse.GetValue(cards), parse.GetValue(key)!, parse.GetValue(issuer)!, parse.GetValue(audience)!,
                parse.GetValue(baselineOption)!, parse.GetValue(faultOption)!, TimeSpan.FromSeconds(parse.GetValue(faultAt)), parse.GetValue(silo),
                TimeSpan.FromSeconds(parse.GetValue(repairAfter)), parse.GetValue(retryWithinOption) is { } within ? TimeSpan.FromSeconds(within) : null)));
    }

    /// <summary>Seeding: who lives where (the read model), communes in every destination, a pool of cards and a partner, and the plan of moves.</summary>
    public override async Task SeedAsync(PlanContext context, PhaseProgress progress)
    {
        progress.Status = "reading who lives where";
        await using (var command = context.Database.CreateCommand(
            "SELECT personal_id, permanent_residence_province FROM registry.resident WHERE alive AND superseded_by IS NULL AND permanent_residence_province IS NOT NULL ORDER BY personal_id"))
        await using (var reader = await command.ExecuteReaderAsync(context.Cancellation))
        {
            while (await reader.ReadAsync(context.Cancellation))
            {
                population.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (population.Count < 2)
        {
            throw new InvalidOperationException("The registry holds fewer than two living residents: run `seed` first.");
        }

        var random = context.RandomFor(1);
        var movers = settings.Moves ?? (int)Math.Round(population.Count * settings.Share);
        movers = Math.Clamp(movers, 1, population.Count - settings.Cards);
        var shuffled = population.OrderBy(_ => random.Next()).ToList();
        var destinations = population.Select(static person => person.Province).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        plan = Plan(shuffled.Take(movers).ToList(), destinations, random);
        progress.SetTotal(destinations.Length + settings.Cards);

        foreach (var province in destinations)
        {
            progress.Status = "communes of " + province;
            communes[province] = await CommunesOfAsync(context, province, Array.IndexOf(destinations, province));
            progress.Advance();
        }

        progress.Status = "cards and a partner for the verifications";
        documentNumbers.AddRange(await IssueCardsAsync(context, shuffled.Skip(movers).Select(static person => person.Number), settings.Cards, progress));
        partner = await PartnerAsync(context, settings.SigningKeyFile, settings.TokenIssuer, settings.TokenAudience);
        context.Timeline.Mark(string.Create(CultureInfo.InvariantCulture, $"planned {plan.Sum(static move => move.Members.Length):N0} people in {plan.Count:N0} moves"));
    }

    public override async Task RunAsync(PlanContext context, PhaseProgress progress)
    {
        progress.SetTotal(plan.Count);
        progress.Status = "moving";
        context.Timeline.Mark("migration begins");
        migrationStart = context.Operations.SecondsAt(Stopwatch.GetTimestamp());
        var queue = new ConcurrentQueue<PlannedMove>(plan);
        var clock = Stopwatch.StartNew();
        var injected = fault.Kind == ClusterFault.None ? Task.CompletedTask : Task.Run(async () =>
        {
            await Task.Delay(settings.FaultAt, context.Cancellation);
            await fault.InjectAsync(context, context.Timeline);
        }, CancellationToken.None);
        using var beside = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
        var random = context.RandomFor(2);
        var readers = AtRateAsync(settings.ReadsPerSecond, () => ReadAsync(context, population[random.Next(population.Count)].Number), beside.Token);
        var verifiers = AtRateAsync(settings.VerificationsPerSecond, () => VerifyAsync(context, documentNumbers[random.Next(documentNumbers.Count)]), beside.Token);
        await Task.WhenAll(Enumerable.Range(0, context.Concurrency).Select(async worker =>
        {
            var keys = new IdempotencyKeys(context.RunId, "m" + worker.ToString(CultureInfo.InvariantCulture));
            while (clock.Elapsed < settings.Window && queue.TryDequeue(out var move))
            {
                await MoveAsync(context, move, keys.Next());
                progress.Advance();
            }
        }));
        migration = clock.Elapsed;
        notStarted = queue.Count;
        if (fault.InjectedAt is { } faultSecond)
        {
            var moves = context.Operations.Summarise().Where(static operation => operation.Name is MoveOperation or HouseholdOperation).ToArray();
            var seconds = moves.Length == 0 ? 0 : moves.Max(static operation => operation.SucceededBySecond.Length);
            long[] Sum(Func<OperationSummary, long[]> series) =>
                [.. Enumerable.Range(0, seconds).Select(second => moves.Sum(operation => second < series(operation).Length ? series(operation)[second] : 0))];
            recovery = Recovery.Compute(Sum(static operation => operation.SucceededBySecond), Sum(static operation => operation.FailedBySecond), migrationStart, faultSecond);
        }

        context.Timeline.Mark(notStarted == 0 ? "migration ends" : "window ends");
        // A fault that failed to be injected or repaired fails the run: it would not be the run it says it is. Its repair
        // may outlast the window (a killed silo's successor is ready only once the cluster has declared it dead).
        await injected;
        await beside.CancelAsync();
        await Task.WhenAll(readers, verifiers);

        if (settings.Baseline != "none")
        {
            progress.Status = "baseline: plain SQL design";
            await BaselineAsync(context, progress);
        }
    }

    public override IEnumerable<KeyValuePair<string, string>> DescribeParameters()
    {
        var people = plan.Sum(static move => move.Members.Length);
        var households = plan.Where(static move => move.Members.Length > 1).ToArray();
        return
        [
            new("population at the start", string.Create(CultureInfo.InvariantCulture, $"{population.Count:N0} living residents in {population.Select(static person => person.Province).Distinct().Count()} provinces (the read model)")),
            new("movers", string.Create(CultureInfo.InvariantCulture,
                $"{people:N0} people ({(settings.Moves is null ? settings.Share.ToString("P1", CultureInfo.InvariantCulture) : "--moves")}) in {plan.Count:N0} requests: {households.Length:N0} households of 2–4 ({households.Sum(static move => move.Members.Length):N0} people), the rest alone")),
            new("destinations", string.Create(CultureInfo.InvariantCulture,
                $"{settings.CityShare:P0} to the five cities {string.Join(", ", ProvincePopulation.Cities)} weighted by population, the rest to any other province weighted by population; never the mover's own")),
            new("window", string.Create(CultureInfo.InvariantCulture,
                $"{settings.Window.TotalSeconds:N0} s; {plan.Count - notStarted:N0} requests started in {migration.TotalSeconds:N1} s, {notStarted:N0} not started within the window")),
            new("beside the moves", string.Create(CultureInfo.InvariantCulture,
                $"{settings.ReadsPerSecond:N0} reads/s (GET /residents/{{n}} of a random resident), {settings.VerificationsPerSecond:N0} card verifications/s (POST /card-verifications by number, as a partner) over a pool of {documentNumbers.Count} cards issued at seeding")),
            new("baseline", baselineNote),
            new("fault", fault.InjectedAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"{fault.Description}, at second {at:N1} of the run ({settings.FaultAt.TotalSeconds:N0} s into the migration)") : fault.Description),
            new("retries", string.Create(CultureInfo.InvariantCulture,
                $"moves without an answer, a 5xx or a 429 sent again with their idempotency key for up to {retryWithin.TotalSeconds:N0} s: {retries:N0} retries; {retriedThenAcknowledged:N0} moves acknowledged after a retry, {retriedInVain:N0} still failing at the bound")),
            .. RecoveryLines(),
        ];
    }

    private IEnumerable<KeyValuePair<string, string>> RecoveryLines()
    {
        if (recovery is not { } found)
        {
            yield break;
        }

        yield return new("time to first success after the fault", found.ToFirstSuccess is { } first ? string.Create(CultureInfo.InvariantCulture, $"{first:N0} s") : "none before the window ended");
        yield return new("time back to the earlier rate", found.ToEarlierRate is { } back
            ? string.Create(CultureInfo.InvariantCulture, $"{back:N0} s (the {Recovery.Window} s moving average of moves acknowledged per second back to {Recovery.Share:P0} of {found.RateBefore:N1}/s, the rate before the fault)")
            : string.Create(CultureInfo.InvariantCulture, $"not within the window (rate before the fault {found.RateBefore:N1}/s)"));
        yield return new("failed attempts from the fault until recovered", found.FailedUntilRecovered.ToString("N0", CultureInfo.InvariantCulture) + " (their kinds: the errors table)");
    }

    public override IEnumerable<KeyValuePair<string, string>> DescribeComparisons()
    {
        if (baselineCommitted == 0 || migration == TimeSpan.Zero)
        {
            yield break;
        }

        var moved = plan.Where(static move => move.Acknowledged).Sum(static move => move.Members.Length);
        var registry = moved / migration.TotalSeconds;
        var plain = baselineCommitted / baseline.TotalSeconds;
        yield return new("registry (API, grains)", string.Create(CultureInfo.InvariantCulture, $"{moved:N0} people moved in {migration.TotalSeconds:N1} s = {registry:N1}/s, with reads and verifications beside"));
        yield return new($"plain design ({settings.Baseline})", string.Create(CultureInfo.InvariantCulture, $"{baselineCommitted:N0} moves committed in {baseline.TotalSeconds:N1} s = {plain:N1}/s"));
        yield return new("ratio registry ÷ plain", string.Create(CultureInfo.InvariantCulture, $"{registry / plain:N2}"));
    }

    private List<PlannedMove> Plan(List<(string Number, string Province)> movers, string[] provinces, Random random)
    {
        var cities = ProvincePopulation.Cities.Where(provinces.Contains).ToArray();
        string Destination(string from)
        {
            for (var attempt = 0; ; attempt++)
            {
                var to = cities.Length > 0 && random.NextDouble() < settings.CityShare ? ProvincePopulation.Draw(random, cities) : ProvincePopulation.Draw(random, provinces);
                if (to != from || attempt > 20)
                {
                    return to != from ? to : provinces.First(other => other != from);
                }
            }
        }

        var moves = new List<PlannedMove>();
        foreach (var group in movers.GroupBy(static mover => mover.Province, StringComparer.Ordinal))
        {
            var left = new Queue<string>(group.Select(static mover => mover.Number));
            while (left.Count > 0)
            {
                var size = left.Count >= 2 && random.NextDouble() < settings.HouseholdShare ? Math.Min(left.Count, random.Next(2, 5)) : 1;
                moves.Add(new PlannedMove([.. Enumerable.Range(0, size).Select(_ => left.Dequeue())], group.Key, Destination(group.Key)));
            }
        }

        return [.. moves.OrderBy(_ => random.Next())];
    }

    private async Task MoveAsync(PlanContext context, PlannedMove move, string idempotencyKey)
    {
        var destination = communes[move.To];
        var body = new JsonObject
        {
            ["provinceCode"] = move.To,
            ["communeCode"] = destination[Math.Abs(idempotencyKey.GetHashCode(StringComparison.Ordinal)) % destination.Length],
            ["address"] = "Số " + ((idempotencyKey.Length * 7) % 300 + 1).ToString(CultureInfo.InvariantCulture) + ", tổ 5",
            ["movedOn"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var household = move.Members.Length > 1;
        if (household)
        {
            body["members"] = new JsonArray([.. move.Members.Select(static number => (JsonNode)number)]);
        }

        // A real client sends a request that got no answer, or a 5xx or 429, again with the same idempotency key until
        // a bound: the registry then applies it once, or answers the first outcome again. Every attempt is recorded.
        var retryUntil = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(250);
        RequestOutcome outcome;
        for (var attempt = 0; ; attempt++)
        {
            outcome = await context.TimeAsync(household ? HouseholdOperation : MoveOperation, async cancellationToken =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, household ? "households/relocations" : $"residents/{move.Members[0]}/relocations") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                using var response = await context.Api.SendAsync(request, cancellationToken);
                return response.StatusCode == HttpStatusCode.OK
                    ? RequestOutcome.Success(response.StatusCode)
                    : RequestOutcome.UnexpectedStatus(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            });
            if (outcome.Succeeded || !WorthRetrying(outcome) || retryUntil.Elapsed + pause > retryWithin)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref outcome.Succeeded ? ref retriedThenAcknowledged : ref retriedInVain);
                }

                break;
            }

            Interlocked.Increment(ref retries);
            await Task.Delay(pause, context.Cancellation);
            pause = pause * 2 < TimeSpan.FromSeconds(5) ? pause * 2 : TimeSpan.FromSeconds(5);
        }

        if (outcome.Succeeded)
        {
            move.Acknowledged = true;
            foreach (var number in move.Members)
            {
                context.Acknowledged.Moved(number, move.To);
            }

            context.Flows.Count(move.From, move.To, move.Members.Length);
        }
    }

    /// <summary>No answer, a server error or "too many requests": what a client sends again; a 4xx refusal is final.</summary>
    private static bool WorthRetrying(RequestOutcome outcome) =>
        outcome.Kind == OutcomeKind.NoResponse || outcome.Label.StartsWith('5') || outcome.Label.StartsWith("429", StringComparison.Ordinal);

    private static Task<RequestOutcome> ReadAsync(PlanContext context, string number) =>
        context.TimeAsync(ReadOperation, async cancellationToken =>
        {
            using var response = await context.Api.GetAsync($"residents/{number}", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK
                ? RequestOutcome.Success(response.StatusCode)
                : RequestOutcome.UnexpectedStatus(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        });

    private Task<RequestOutcome> VerifyAsync(PlanContext context, string documentNumber) =>
        context.TimeAsync(VerifyOperation, async cancellationToken =>
        {
            using var response = await partner!.PostAsJsonAsync("card-verifications", new JsonObject { ["documentNumber"] = documentNumber }, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.StatusCode != HttpStatusCode.OK ? RequestOutcome.UnexpectedStatus(response.StatusCode, text)
                : text.Contains("\"valid\"", StringComparison.Ordinal) ? RequestOutcome.Success(response.StatusCode)
                : RequestOutcome.ContractBreach("200 but not valid", text);
        });

    /// <summary>Starts <paramref name="perSecond"/> operations a second, without waiting for one to end before the next, until stopped; then waits for those started.</summary>
    private static async Task AtRateAsync(double perSecond, Func<Task> operation, CancellationToken stop)
    {
        if (perSecond <= 0)
        {
            return;
        }

        var started = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                started.Add(operation());
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The moves are done: nothing more is started.
        }

        await Task.WhenAll(started);
    }

    /// <summary>The province's communes, or a few registered now when it has none (no national list imported).</summary>
    internal static async Task<string[]> CommunesOfAsync(PlanContext context, string province, int index)
    {
        using var listed = await context.Api.GetAsync($"provinces/{province}/communes", context.Cancellation);
        var text = await listed.Content.ReadAsStringAsync(context.Cancellation);
        if (listed.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /provinces/{province}/communes answered {(int)listed.StatusCode}: {text}");
        }

        var codes = JsonDocument.Parse(text).RootElement.EnumerateArray().Select(static commune => commune.GetProperty("code").GetString()!).Take(10).ToArray();
        if (codes.Length > 0)
        {
            return codes;
        }

        var invented = Enumerable.Range(0, InventedCommunes).Select(k => string.Create(CultureInfo.InvariantCulture, $"9{index:00}{k:00}")).ToArray();
        foreach (var code in invented)
        {
            using var response = await context.Api.PutAsJsonAsync($"provinces/{province}/communes/{code}", new JsonObject { ["name"] = "Phường thử " + code }, context.Cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"PUT /provinces/{province}/communes/{code} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(context.Cancellation)}");
            }
        }

        return invented;
    }

    /// <summary>Issues cards to adults who do not move (apply, produce, issue), skipping anyone the registry refuses one (a child, a card already held).</summary>
    internal static async Task<List<string>> IssueCardsAsync(PlanContext context, IEnumerable<string> candidates, int cards, PhaseProgress progress)
    {
        var keys = new IdempotencyKeys(context.RunId, "cards");
        var documentNumbers = new List<string>();
        foreach (var number in candidates.Take(cards * 5))
        {
            if (documentNumbers.Count == cards)
            {
                return documentNumbers;
            }

            using var applied = await SendAsync(context, $"residents/{number}/card-applications", keys.Next(), new JsonObject { ["reason"] = "firstCard" });
            if (applied.StatusCode != HttpStatusCode.Created)
            {
                continue;
            }

            var card = JsonDocument.Parse(await applied.Content.ReadAsStringAsync(context.Cancellation)).RootElement.GetProperty("documentNumber").GetString()!;
            using var produced = await SendAsync(context, $"cards/{card}/production", keys.Next(), []);
            using var issued = await SendAsync(context, $"cards/{card}/issue", keys.Next(), []);
            if (issued.StatusCode == HttpStatusCode.OK)
            {
                documentNumbers.Add(card);
                progress.Advance();
            }
        }

        return documentNumbers.Count > 0
            ? documentNumbers
            : throw new InvalidOperationException("No card could be issued for the verifications: the registry refused every candidate.");
    }

    private static async Task<HttpResponseMessage> SendAsync(PlanContext context, string path, string idempotencyKey, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await context.Api.SendAsync(request, context.Cancellation);
    }

    /// <summary>A partner allowed verifications, and a client carrying its token, minted with the cluster's signing key.</summary>
    internal static async Task<HttpClient> PartnerAsync(PlanContext context, string signingKeyFile, string issuer, string audience)
    {
        var keyFile = ApiTarget.FindUpwards(signingKeyFile)
            ?? throw new InvalidOperationException($"No signing key at {signingKeyFile}: start the cluster with cluster-config/up.sh, or pass --signing-key-file.");
        var tokens = new RegistryTokens(new RegistryAuthOptions
        {
            Issuer = issuer,
            Audience = audience,
            SigningKey = (await File.ReadAllTextAsync(keyFile, context.Cancellation)).Trim(),
        }, TimeProvider.System);
        var partnerId = "load-bank-" + context.RunId;
        using var policy = await context.Api.PutAsJsonAsync($"partner-policies/{partnerId}", new JsonObject
        {
            ["purposes"] = new JsonArray(Purpose),
            ["fields"] = new JsonArray(),
            ["eventKinds"] = new JsonArray(),
            ["requestsPerMinute"] = 60_000,
            ["mayVerify"] = true,
        }, context.Cancellation);
        if (!policy.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /partner-policies/{partnerId} answered {(int)policy.StatusCode}: {await policy.Content.ReadAsStringAsync(context.Cancellation)}");
        }

        var client = LoopbackTarget.CreateClient(context.Api.BaseAddress!, 64, context.Api.Timeout);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(new Actor(partnerId, ActorRole.MinistryPartner, null), TimeSpan.FromHours(6)));
        client.DefaultRequestHeaders.Add("Access-Purpose", Purpose);
        client.DefaultRequestHeaders.Add("Access-Purpose-Note", "load-test");
        return client;
    }

    /// <summary>
    /// The plain design on its own tables (<see cref="PlainRelocationTables"/>, 34 provinces of 2025, people spread evenly
    /// at the start): as many moves as the migration planned, at the same concurrency and within the same window, each
    /// to the 2025 unit of a destination drawn with the migration's skew.
    /// </summary>
    private async Task BaselineAsync(PlanContext context, PhaseProgress progress)
    {
        var people = Math.Max(context.Concurrency, Math.Min(population.Count, RelocationWorkload.MaxPeople));
        await PlainRelocationTables.CreateAsync(context.Database, context.Cancellation);
        await PlainRelocationTables.DeleteMovedAsync(context.Database, context.Cancellation);
        await PlainRelocationTables.SeedAsync(context.Database, people, TextWriter.Null, context.Cancellation);
        await PlainRelocationTables.VacuumAsync(context.Database, context.Cancellation);
        await PlainRelocationTables.RecountAsync(context.Database, context.Cancellation);
        var provinceOf = await PlainRelocationTables.ReadProvincesAsync(context.Database, people, context.Cancellation);
        var units = RelocationWorkload.Provinces;
        var cities2025 = ProvincePopulation.Cities.Select(static code => ProvinceCatalog.Find(code)!.MergedInto2025).Distinct().ToArray();
        var moves = plan.Sum(static move => move.Members.Length);
        var remaining = moves;
        progress.SetTotal(plan.Count + moves);
        context.Timeline.Mark("baseline begins");
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, context.Concurrency).Select(async worker =>
        {
            var random = context.RandomFor(100 + worker);
            while (clock.Elapsed < settings.Window && Interlocked.Decrement(ref remaining) >= 0)
            {
                // Each worker moves its own people (n ≡ worker mod workers), so it always knows where they live.
                var person = worker + (context.Concurrency * random.Next(((people - 1 - worker) / context.Concurrency) + 1));
                var from = units[provinceOf[person]];
                var drawn = random.NextDouble() < settings.CityShare ? cities2025[random.Next(cities2025.Length)] : ProvinceCatalog.Find(ProvincePopulation.Draw(random, [.. ProvincePopulation.Thousands2023.Keys]))!.MergedInto2025;
                var to = drawn != from ? drawn : units[(Array.IndexOf([.. units], from) + 1) % units.Count];
                var move = new Relocation(person, RelocationWorkload.PersonalIdOf(person), from, to, "00001", "Số 1, tổ 1");
                var outcome = await context.TimeAsync(BaselineOperation, async cancellationToken =>
                    (await PlainRelocationTables.MoveAsync(context.Database, move, settings.Baseline == "ordered", cancellationToken)).Refused ?? RequestOutcome.Success("committed"));
                if (outcome.Succeeded)
                {
                    provinceOf[person] = (byte)units.ToList().IndexOf(to);
                    Interlocked.Increment(ref baselineCommitted);
                }

                progress.Advance();
            }
        }));
        baseline = clock.Elapsed;
        context.Timeline.Mark("baseline ends");
        var check = await PlainRelocationTables.CheckAsync(context.Database, context.Cancellation);
        baselineNote = string.Create(CultureInfo.InvariantCulture,
            $"{settings.Baseline}: {people:N0} people in {PlainRelocationTables.Schema} (spread evenly over the 34 provinces of 2025), {moves:N0} moves planned at {context.Concurrency} workers within {settings.Window.TotalSeconds:N0} s, destinations with the same skew mapped to their 2025 unit; {baselineCommitted:N0} committed in {baseline.TotalSeconds:N1} s; counters {(check.IsExact ? "exact" : "DRIFT")}");
    }

    /// <summary>One request of the plan: a person alone, or a household of the same province.</summary>
    private sealed class PlannedMove(string[] members, string from, string to)
    {
        public string[] Members => members;

        public string From => from;

        public string To => to;

        public bool Acknowledged { get; set; }
    }

    /// <summary>The scenario's options.</summary>
    internal sealed record Settings(
        double Share, int? Moves, TimeSpan Window, double CityShare, double HouseholdShare, double ReadsPerSecond, double VerificationsPerSecond, int Cards,
        string SigningKeyFile, string TokenIssuer, string TokenAudience, string Baseline, string Fault, TimeSpan FaultAt, int Silo, TimeSpan RepairAfter, TimeSpan? RetryWithin);
}
