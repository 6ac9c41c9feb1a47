using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Registry.LoadTests.Batches;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// <c>seed</c>: registers N people with Vietnamese names, spread over the 63 provinces of 2024 in proportion to their
/// real population (<see cref="ProvincePopulation"/>), through the registry's path for mass loads: provincial batch
/// files (<c>PUT /batches/{id}</c>), as provinces send their registrations. A batch is stored at once and processed
/// by its batch grain with resumption by reminder, duplicate checks and a result per row, which is what a load of
/// millions needs and what the registry was built to take; N single <c>POST /residents</c> would measure the API's
/// per-request cost instead. Each province's people go in files of at most <c>--batch-rows</c>, several provinces at
/// once; every applied row's number is an acknowledged registration the check looks for at the end.
/// </summary>
internal sealed class SeedScenario(int people, int batchRows, int batchesAtOnce) : PlannedScenario
{
    public const string ScenarioName = "seed";

    private const string RowOperation = "registration (batch row)";
    private const string BatchOperation = "batch (upload to last result)";
    private const string UploadOperation = "batch upload";
    private const string PollOperation = "batch progress read";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a batch's upload is retried before the seeding gives up.</summary>
    private static readonly TimeSpan UploadPatience = TimeSpan.FromSeconds(120);

    private IReadOnlyList<(string Province, int People)> shares = [];
    private long applied;
    private long duplicateCandidates;
    private long rejected;

    public override string Name => ScenarioName;

    public override string Description =>
        "Registers N people with Vietnamese names, spread over the 63 provinces like the real population, through provincial batch files (PUT /batches/{id}), several provinces at once.";

    public static PlannedScenarioDefinition Definition()
    {
        var peopleOption = new Option<int>("--people") { Description = "People to register.", DefaultValueFactory = static _ => 1_000_000 };
        ScenarioCommand.MustBeWithin(peopleOption, 1, 20_000_000);
        var rowsOption = new Option<int>("--batch-rows") { Description = "Most rows in one batch file; a province with more people sends several.", DefaultValueFactory = static _ => 20_000 };
        ScenarioCommand.MustBeWithin(rowsOption, 1, 1_000_000);
        var atOnceOption = new Option<int>("--batches-at-once") { Description = "Batches uploaded and processed at the same time (each has 32 rows in flight).", DefaultValueFactory = static _ => 4 };
        ScenarioCommand.MustBeWithin(atOnceOption, 1, 64);
        return new PlannedScenarioDefinition(ScenarioName, "Seed the registry with N people spread like the real population, through provincial batches.",
            [peopleOption, rowsOption, atOnceOption],
            parse => new SeedScenario(parse.GetValue(peopleOption), parse.GetValue(rowsOption), parse.GetValue(atOnceOption)));
    }

    public override async Task RunAsync(PlanContext context, PhaseProgress progress)
    {
        shares = ProvincePopulation.Share(people);
        progress.SetTotal(people);
        var batches = shares
            .SelectMany(share => Enumerable.Range(0, (share.People + batchRows - 1) / batchRows)
                .Select(part => (share.Province, Part: part, Rows: Math.Min(batchRows, share.People - (part * batchRows)))))
            .Where(static batch => batch.Rows > 0)
            .OrderByDescending(static batch => batch.Rows)
            .ToArray();
        await Parallel.ForEachAsync(
            batches.Select(static (batch, index) => (batch.Province, batch.Part, batch.Rows, Index: index)),
            new ParallelOptions { MaxDegreeOfParallelism = batchesAtOnce, CancellationToken = context.Cancellation },
            async (batch, _) => await SendAsync(context, progress, batch.Province, batch.Part, batch.Rows, batch.Index));
    }

    public override IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("people", people.ToString("N0", CultureInfo.InvariantCulture)),
        new("path", string.Create(CultureInfo.InvariantCulture,
            $"provincial batches (PUT /batches/{{id}}?province=…, NDJSON, as a central administrator), at most {batchRows:N0} rows each, {batchesAtOnce} at once, the largest first")),
        new("people by province", "in proportion to the GSO's average population of 2023 by province (Statistical Yearbook 2023): "
            + string.Join(", ", shares.OrderByDescending(static share => share.People).Take(8).Select(static share => string.Create(CultureInfo.InvariantCulture, $"{share.Province} {share.People:N0}")))
            + ", …, " + string.Join(", ", shares.OrderBy(static share => share.People).Take(3).Select(static share => string.Create(CultureInfo.InvariantCulture, $"{share.Province} {share.People:N0}")))),
        new("names", "ResidentGenerator: weighted Vietnamese family names, middle names by sex, given names, with diacritics; birth dates 1900 to yesterday; born where they live"),
        new("rows by result", string.Create(CultureInfo.InvariantCulture,
            $"{applied:N0} applied (acknowledged registrations), {duplicateCandidates:N0} held as duplicate candidates (a drawn name and birth date that someone already has), {rejected:N0} rejected")),
    ];

    private async Task SendAsync(PlanContext context, PhaseProgress progress, string province, int part, int rows, int index)
    {
        var batchId = string.Create(CultureInfo.InvariantCulture, $"{context.RunId}-{province}-{part}");
        var started = Stopwatch.GetTimestamp();
        // A province's system sends a batch again when an upload fails: the batch id makes it resume, not repeat
        // (rows already stored are kept). Each attempt is counted, so the report shows what failed and how often.
        var upload = await Bounded.UntilAsync(
            _ => context.TimeAsync(UploadOperation, async cancellationToken =>
            {
                using var body = new StreamContent(new GeneratedBatch(new ResidentGenerator(context.RandomFor(index), ResidentGenerator.Yesterday()), province, rows, csv: false));
                body.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var response = await context.Api.PutAsync($"batches/{batchId}?province={province}", body, cancellationToken);
                return response.StatusCode == HttpStatusCode.Accepted
                    ? RequestOutcome.Success(response.StatusCode)
                    : RequestOutcome.UnexpectedStatus(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }),
            static outcome => outcome.Succeeded, UploadPatience, context.Cancellation);
        if (!upload.Done)
        {
            throw new InvalidOperationException($"Batch {batchId} was not accepted in {upload.Attempts} attempts: {upload.Last.Label} {upload.Last.Detail}");
        }

        progress.Status = $"batch {batchId}";
        JsonElement counts;
        var shown = 0L;
        while (true)
        {
            using var poll = await context.Api.GetAsync($"batches/{batchId}", context.Cancellation);
            if (poll.StatusCode != HttpStatusCode.OK)
            {
                // A progress read that fails (a 500 or 503 while PostgreSQL is saturated) says nothing about the batch,
                // which goes on in its grain: ask again, as a province's system would.
                context.Operations.CountAt(PollOperation, context.Operations.SecondsAt(Stopwatch.GetTimestamp()),
                    RequestOutcome.UnexpectedStatus(poll.StatusCode, await poll.Content.ReadAsStringAsync(context.Cancellation)));
                await Task.Delay(PollInterval, context.Cancellation);
                continue;
            }

            using var state = JsonDocument.Parse(await poll.Content.ReadAsStringAsync(context.Cancellation));
            counts = state.RootElement.GetProperty("rows").Clone();
            var done = counts.GetProperty("applied").GetInt64() + counts.GetProperty("duplicateCandidate").GetInt64() + counts.GetProperty("rejected").GetInt64();
            progress.Advance(done - shown);
            shown = done;
            if (state.RootElement.GetProperty("status").GetString() == "completed")
            {
                break;
            }

            await Task.Delay(PollInterval, context.Cancellation);
        }

        context.Operations.Record(BatchOperation, started, Stopwatch.GetTimestamp(), RequestOutcome.Success("completed"));
        Interlocked.Add(ref duplicateCandidates, counts.GetProperty("duplicateCandidate").GetInt64());
        Interlocked.Add(ref rejected, counts.GetProperty("rejected").GetInt64());
        await CollectAsync(context, batchId, progress);
    }

    /// <summary>Reads every row's result: applied rows are acknowledged registrations; all are counted at the second the registry recorded them.</summary>
    private async Task CollectAsync(PlanContext context, string batchId, PhaseProgress progress)
    {
        var runStart = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(context.Operations.SecondsAt(Stopwatch.GetTimestamp()));
        var after = 0;
        while (true)
        {
            using var page = await context.Api.GetAsync($"batches/{batchId}/rows?after={after}&limit=1000", context.Cancellation);
            var text = await page.Content.ReadAsStringAsync(context.Cancellation);
            if (page.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET /batches/{batchId}/rows answered {(int)page.StatusCode}: {text}");
            }

            using var rows = JsonDocument.Parse(text);
            var count = 0;
            foreach (var row in rows.RootElement.GetProperty("rows").EnumerateArray())
            {
                count++;
                after = row.GetProperty("rowNumber").GetInt32();
                var status = row.GetProperty("status").GetString()!;
                var second = row.TryGetProperty("processedAt", out var at) && at.ValueKind == JsonValueKind.String
                    ? (at.GetDateTimeOffset() - runStart).TotalSeconds
                    : context.Operations.SecondsAt(Stopwatch.GetTimestamp());
                if (status == "applied")
                {
                    context.Acknowledged.Registered(row.GetProperty("result").GetProperty("personalIdNumber").GetString()!);
                    Interlocked.Increment(ref applied);
                    context.Operations.CountAt(RowOperation, second, RequestOutcome.Success(status));
                }
                else
                {
                    context.Operations.CountAt(RowOperation, second, RequestOutcome.ContractBreach(status, null));
                }
            }

            if (count == 0 || rows.RootElement.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return;
            }
        }
    }
}
