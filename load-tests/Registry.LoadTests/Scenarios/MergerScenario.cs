using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Contracts.Provinces;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// <c>merger</c>: the 2025 reorganisation (Resolution 202/2025/QH15, 63 units into 34) started through the API
/// (<c>PUT /reorganisations/{planId}</c>) while relocations and registrations run, as the registry must take it: the
/// run moves every living resident of the 29 absorbed provinces to the surviving code while people keep moving and being
/// born. Relocations draw their destinations among the 63 units until the merger starts, then among the 34 (an absorbed
/// province is refused as a destination from that moment). Afterwards every acknowledged move must have left its person
/// in the 2025 unit of the destination, the absorbed provinces must hold nobody, and the merged units' counters must
/// equal the read model.
/// </summary>
internal sealed class MergerScenario(MergerScenario.Settings settings) : PlannedScenario
{
    public const string ScenarioName = "merger";

    private const string MoveOperation = "relocation";
    private const string RegisterOperation = "registration";
    private const string PlanFile = "src/Registry.Domain/Provinces/Data/provinces-2025.csv";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, string[]> communes = new(StringComparer.Ordinal);
    private readonly List<(string Number, string Province)> population = [];
    private readonly Dictionary<string, string> acknowledgedTo = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private string plan = "";
    private volatile bool mergerStarted;
    private JsonElement? progressAtEnd;
    private double mergerSeconds;

    public override string Name => ScenarioName;

    public override string Description =>
        "The 2025 reorganisation (Resolution 202: 63 provinces into 34) applied while relocations and registrations run; the absorbed provinces end empty and the merged units' counters equal the read model.";

    public static PlannedScenarioDefinition Definition()
    {
        var duration = new Option<int>("--duration") { HelpName = "seconds", Description = "Seconds of relocations and registrations; they go on until the merger has finished as well.", DefaultValueFactory = static _ => 60 };
        ScenarioCommand.MustBeWithin(duration, 1, 86_400);
        var mergerAt = new Option<int>("--merger-at") { HelpName = "seconds", Description = "Seconds into the traffic when the merger is started.", DefaultValueFactory = static _ => 15 };
        ScenarioCommand.MustBeWithin(mergerAt, 0, 86_400);
        var registrations = new Option<double>("--registrations-per-second") { Description = "New people registered per second beside the relocations (POST /residents).", DefaultValueFactory = static _ => 5 };
        ScenarioCommand.MustBeWithin(registrations, 0d, 10_000d);
        var planId = new Option<string>("--plan-id") { Description = "Id of the reorganisation run (its idempotency key).", DefaultValueFactory = static _ => "2025-07-01-resolution-202" };
        var mergerWithin = new Option<int>("--merger-within") { HelpName = "seconds", Description = "How long to wait for the merger to complete before the run is failed.", DefaultValueFactory = static _ => 1_800 };
        ScenarioCommand.MustBeWithin(mergerWithin, 1, 86_400);
        return new PlannedScenarioDefinition(ScenarioName, "Apply the 2025 merger of provinces while relocations and registrations run.",
            [duration, mergerAt, registrations, planId, mergerWithin],
            parse => new MergerScenario(new Settings(TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(mergerAt)),
                parse.GetValue(registrations), parse.GetValue(planId)!, TimeSpan.FromSeconds(parse.GetValue(mergerWithin)))));
    }

    /// <summary>Seeding: the plan (not applied yet), who lives where, and communes in every unit a move may go to.</summary>
    public override async Task SeedAsync(PlanContext context, PhaseProgress progress)
    {
        using (var earlier = await context.Api.GetAsync($"reorganisations/{settings.PlanId}", context.Cancellation))
        {
            if (earlier.StatusCode != HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"GET /reorganisations/{settings.PlanId} answered {(int)earlier.StatusCode}: the merger was started before; run it on a fresh database (cluster-config/down.sh --purge).");
            }
        }

        var file = ApiTarget.FindUpwards(PlanFile) ?? throw new InvalidOperationException($"{PlanFile} not found from here.");
        plan = await File.ReadAllTextAsync(file, Encoding.UTF8, context.Cancellation);
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

        if (population.Count < context.Concurrency)
        {
            throw new InvalidOperationException($"The registry holds {population.Count} living residents, fewer than the {context.Concurrency} workers: run `seed` first.");
        }

        progress.SetTotal(ResidentGenerator.ProvinceCodes2024.Count);
        foreach (var (province, index) in ResidentGenerator.ProvinceCodes2024.Select(static (code, index) => (code, index)))
        {
            progress.Status = "communes of " + province;
            communes[province] = await MassMigrationScenario.CommunesOfAsync(context, province, index);
            progress.Advance();
        }
    }

    public override async Task RunAsync(PlanContext context, PhaseProgress progress)
    {
        progress.Status = "relocations and registrations";
        context.Timeline.Mark("traffic begins");
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
        var registering = RegisterAtRateAsync(context, stop.Token);
        var moving = Task.WhenAll(Enumerable.Range(0, context.Concurrency).Select(worker => MoveWhileAsync(context, worker, progress, stop.Token)));

        await Task.Delay(settings.MergerAt, context.Cancellation);
        var merger = Stopwatch.StartNew();
        await StartMergerAsync(context);
        mergerStarted = true;
        context.Timeline.Mark("merger starts (PUT /reorganisations)");
        progress.Status = "merger running, traffic beside";
        var finished = await Bounded.UntilAsync(
            async cancellationToken =>
            {
                using var poll = await context.Api.GetAsync($"reorganisations/{settings.PlanId}", cancellationToken);
                using var state = JsonDocument.Parse(await poll.Content.ReadAsStringAsync(cancellationToken));
                progress.Status = string.Create(CultureInfo.InvariantCulture, $"merger: {state.RootElement.GetProperty("moved").GetInt64():N0} moved");
                return state.RootElement.Clone();
            },
            static state => state.GetProperty("status").GetString() == "completed",
            settings.MergerWithin, context.Cancellation);
        mergerSeconds = merger.Elapsed.TotalSeconds;
        progressAtEnd = finished.Last;
        context.Timeline.Mark(finished.Done ? "merger completed" : "merger not completed in time");

        var left = settings.Duration - clock.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, context.Cancellation);
        }

        await stop.CancelAsync();
        await Task.WhenAll(moving, registering);
        context.Timeline.Mark("traffic ends");
        if (!finished.Done)
        {
            throw new TimeoutException($"The merger did not complete within {settings.MergerWithin.TotalSeconds:N0} s: {finished.Last}");
        }

        // A move acknowledged into a province the merger absorbed afterwards leaves its person in the surviving unit.
        foreach (var (number, to) in acknowledgedTo)
        {
            context.Acknowledged.Moved(number, ProvinceCatalog.Find(to)!.MergedInto2025);
        }
    }

    public override IEnumerable<KeyValuePair<string, string>> DescribeParameters()
    {
        var moved = progressAtEnd is { } state ? state.GetProperty("moved").GetInt64() : 0;
        return
        [
            new("population at the start", string.Create(CultureInfo.InvariantCulture, $"{population.Count:N0} living residents (the read model)")),
            new("plan", $"{settings.PlanId}: {PlanFile} (Resolution 202/2025/QH15, 63 units into 34), PUT /reorganisations/{settings.PlanId}?effectiveOn=2025-07-01"),
            new("traffic", string.Create(CultureInfo.InvariantCulture,
                $"{settings.Duration.TotalSeconds:N0} s (longer if the merger runs longer): relocations by {population.Count:N0} people's own workers, destinations by population among the 63 units until the merger starts, then among the 34; {settings.RegistrationsPerSecond:N1} registrations/s (POST /residents)")),
            new("merger", string.Create(CultureInfo.InvariantCulture,
                $"started {settings.MergerAt.TotalSeconds:N0} s into the traffic; {(progressAtEnd is { } last ? last.GetProperty("status").GetString() : "not started")}, {moved:N0} residents moved in {mergerSeconds:N1} s ({(mergerSeconds > 0 ? moved / mergerSeconds : 0):N0}/s) while the traffic ran")),
        ];
    }

    public override IEnumerable<ScenarioInvariant> Invariants(PlanContext context) =>
    [
        new("the absorbed provinces hold nobody and each merged unit's counter equals the read model", async cancellationToken =>
        {
            using var response = await context.Api.GetAsync("provinces/reconciliation", cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (false, $"GET /provinces/reconciliation answered {(int)response.StatusCode}");
            }

            var byCode = JsonDocument.Parse(text).RootElement.GetProperty("provinces").EnumerateArray()
                .ToDictionary(static row => row.GetProperty("provinceCode").GetString()!, static row => (Counted: row.GetProperty("counted").GetInt64(), InReadModel: row.GetProperty("inReadModel").GetInt64()), StringComparer.Ordinal);
            var absorbed = ResidentGenerator.ProvinceCodes2024.Where(static code => ProvinceCatalog.Find(code)!.MergedInto2025 != code).ToArray();
            var merged = absorbed.Select(static code => ProvinceCatalog.Find(code)!.MergedInto2025).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var notEmpty = absorbed.Where(code => byCode.TryGetValue(code, out var row) && (row.Counted != 0 || row.InReadModel != 0))
                .Select(code => string.Create(CultureInfo.InvariantCulture, $"{code} counted {byCode[code].Counted:N0}, read model {byCode[code].InReadModel:N0}")).ToArray();
            var drifting = merged.Where(code => !byCode.TryGetValue(code, out var row) || row.Counted != row.InReadModel)
                .Select(code => byCode.TryGetValue(code, out var row) ? string.Create(CultureInfo.InvariantCulture, $"{code} counted {row.Counted:N0} ≠ {row.InReadModel:N0}") : code + " missing").ToArray();
            var people = merged.Sum(code => byCode.TryGetValue(code, out var row) ? row.InReadModel : 0);
            return notEmpty.Length == 0 && drifting.Length == 0
                ? (true, string.Create(CultureInfo.InvariantCulture, $"{absorbed.Length} absorbed provinces empty; {merged.Length} merged units hold {people:N0} people, each counter = read model"))
                : (false, $"absorbed not empty: {string.Join(", ", notEmpty.DefaultIfEmpty("none"))}; merged units drifting: {string.Join(", ", drifting.DefaultIfEmpty("none"))}");
        }),
    ];

    private async Task StartMergerAsync(PlanContext context)
    {
        using var body = new StringContent(plan, Encoding.UTF8, "text/csv");
        using var response = await context.Api.PutAsync($"reorganisations/{settings.PlanId}?effectiveOn=2025-07-01", body, context.Cancellation);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"PUT /reorganisations/{settings.PlanId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(context.Cancellation)}");
        }
    }

    /// <summary>One worker's relocations: its own people (index ≡ worker mod workers), so two moves of one person never race.</summary>
    private async Task MoveWhileAsync(PlanContext context, int worker, PhaseProgress progress, CancellationToken stop)
    {
        var random = context.RandomFor(10 + worker);
        var keys = new IdempotencyKeys(context.RunId, "g" + worker.ToString(CultureInfo.InvariantCulture));
        var mine = Enumerable.Range(0, population.Count).Where(index => index % context.Concurrency == worker).ToArray();
        var where = mine.ToDictionary(index => index, index => population[index].Province);
        var all = ResidentGenerator.ProvinceCodes2024.ToArray();
        var survivors = all.Where(static code => ProvinceCatalog.Find(code)!.MergedInto2025 == code).ToArray();
        while (!stop.IsCancellationRequested)
        {
            var index = mine[random.Next(mine.Length)];
            var started = mergerStarted;
            var from = started ? ProvinceCatalog.Find(where[index])!.MergedInto2025 : where[index];
            var to = ProvincePopulation.Draw(random, started ? survivors : all);
            if (to == from)
            {
                continue;
            }

            var number = population[index].Number;
            var body = new JsonObject
            {
                ["provinceCode"] = to,
                ["communeCode"] = communes[to][random.Next(communes[to].Length)],
                ["address"] = "Số " + random.Next(1, 300).ToString(CultureInfo.InvariantCulture) + ", tổ 7",
                ["movedOn"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            var key = keys.Next();
            var outcome = await context.TimeAsync(MoveOperation, async cancellationToken =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"residents/{number}/relocations") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await context.Api.SendAsync(request, cancellationToken);
                return response.StatusCode == HttpStatusCode.OK
                    ? RequestOutcome.Success(response.StatusCode)
                    : RequestOutcome.UnexpectedStatus(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            });
            if (outcome.Succeeded)
            {
                where[index] = to;
                lock (gate)
                {
                    acknowledgedTo[number] = to;
                }

                context.Flows.Count(from, to);
            }

            progress.Advance();
        }
    }

    private async Task RegisterAtRateAsync(PlanContext context, CancellationToken stop)
    {
        if (settings.RegistrationsPerSecond <= 0)
        {
            return;
        }

        var people = new ResidentGenerator(context.RandomFor(3), ResidentGenerator.Yesterday());
        var keys = new IdempotencyKeys(context.RunId, "r");
        var started = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.RegistrationsPerSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var resident = people.Next();
                var key = keys.Next();
                started.Add(Task.Run(async () =>
                {
                    string? number = null;
                    await context.TimeAsync(RegisterOperation, async cancellationToken =>
                    {
                        var registration = await ResidentsApi.RegisterAsync(context.Api, resident, key, cancellationToken);
                        number = registration.PersonalIdNumber;
                        return registration.Outcome;
                    });
                    if (number is not null)
                    {
                        context.Acknowledged.Registered(number);
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The traffic is over: nothing more is started.
        }

        await Task.WhenAll(started);
    }

    /// <summary>The scenario's options.</summary>
    internal sealed record Settings(TimeSpan Duration, TimeSpan MergerAt, double RegistrationsPerSecond, string PlanId, TimeSpan MergerWithin);
}
