using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.LoadTests.Reporting;
using Registry.LoadTests.Running;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Batches;

/// <summary>
/// <c>batch-import</c>: one provincial batch end to end. Generates a file of registrations while uploading it
/// (<c>PUT /batches/{id}</c>), polls <c>GET /batches/{id}</c> until every row has its result, and reports upload rows/s,
/// processing rows/s, total time, rows by status and the API process's peak resident memory. Not a closed-loop load
/// scenario: one upload, measured from its first byte to its last result.
/// </summary>
internal static class BatchImportCommand
{
    private const string ApiPidFile = ".local/run/api.pid";

    private static readonly Option<string> Api = new("--api")
    {
        HelpName = "url",
        Description = "Base URL of the registry API. Only loopback is accepted (127.0.0.0/8, localhost, [::1]).",
        DefaultValueFactory = static _ => ApiTarget.DefaultApi,
    };

    private static readonly Option<string?> Token = new("--token")
    {
        HelpName = "jwt",
        Description = $"Bearer token of a central administrator or of an officer of --province. Default: ${ApiTarget.TokenVariable}, else {ApiTarget.TokenFile}.",
    };

    private static readonly Option<int> Rows = new("--rows")
    {
        HelpName = "count",
        Description = "Rows in the generated file.",
        DefaultValueFactory = static _ => 100_000,
    };

    private static readonly Option<string> Format = new("--format")
    {
        HelpName = "ndjson|csv",
        Description = "File format.",
        DefaultValueFactory = static _ => "ndjson",
    };

    private static readonly Option<string> Province = new("--province")
    {
        HelpName = "code",
        Description = "The batch's province; every row registers a person born there.",
        DefaultValueFactory = static _ => "079",
    };

    private static readonly Option<int> TimeoutMinutes = new("--timeout")
    {
        HelpName = "minutes",
        Description = "Give up (exit 4, partial report) when the batch has not completed after this long.",
        DefaultValueFactory = static _ => 30,
    };

    private static readonly Option<int?> Seed = new("--seed")
    {
        HelpName = "number",
        Description = "Seed of the generated people (random when not given; the report records it).",
    };

    private static readonly Option<string?> Report = new("--report", "-o")
    {
        HelpName = "file",
        Description = "Where the Markdown report goes (default load-tests/reports/batch-import[-csv].md).",
    };

    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        ScenarioCommand.MustBeWithin(Rows, 1, 10_000_000);
        ScenarioCommand.MustBeWithin(TimeoutMinutes, 1, 600);
        Format.AcceptOnlyFromAmong("ndjson", "csv");
        var command = new Command("batch-import",
            "Upload a generated batch of registrations (streamed, never held in memory), follow its progress until every row has a result, and report the rates.")
        {
            Api, Token, Rows, Format, Province, TimeoutMinutes, Seed, Report,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (!LoopbackTarget.TryParse(parse.GetRequiredValue(Api), out var baseAddress, out var problem))
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.RefusedTarget;
        }

        if (!ApiTarget.TryFindToken(parse.GetValue(Token), out var bearer, out var tokenSource))
        {
            await Console.Error.WriteLineAsync($"No bearer token. Pass --token, set {ApiTarget.TokenVariable}, or start the cluster with cluster-config/up.sh. Nothing was sent.");
            return ExitCodes.RefusedTarget;
        }

        var rows = parse.GetValue(Rows);
        var csv = parse.GetRequiredValue(Format) == "csv";
        var province = parse.GetRequiredValue(Province);
        var seed = parse.GetValue(Seed) ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var timeout = TimeSpan.FromMinutes(parse.GetValue(TimeoutMinutes));
        var reportPath = Path.GetFullPath(parse.GetValue(Report) ?? DefaultReportPath(csv ? "batch-import-csv" : "batch-import"));
        var batchId = string.Create(CultureInfo.InvariantCulture, $"load-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");

        using var http = LoopbackTarget.CreateClient(baseAddress, concurrency: 2, requestTimeout: timeout);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        ApiTarget.StatePurpose(http);
        var (ready, lastProblem) = await ReadinessProbe.WaitAsync(http, TimeSpan.FromSeconds(10), cancellationToken);
        if (!ready)
        {
            await Console.Error.WriteLineAsync($"The API at {baseAddress} is not ready ({lastProblem}). Start it with cluster-config/up.sh. Nothing was sent.");
            return ExitCodes.NotReady;
        }

        var memory = ProcessMemory.OfApi(FindUpwards(ApiPidFile));
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampling = SampleAsync(memory, stopSampling.Token);

        Console.WriteLine($"batch-import: {rows:N0} {(csv ? "CSV" : "NDJSON")} rows for province {province} as batch {batchId} to {baseAddress} (seed {seed})");
        var people = new ResidentGenerator(new Random(seed), ResidentGenerator.Yesterday());
        var file = new GeneratedBatch(people, province, rows, csv);
        var clock = Stopwatch.StartNew();
        using var content = new StreamContent(file, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue(csv ? "text/csv" : "application/x-ndjson");
        using var upload = await http.PutAsync($"batches/{batchId}?province={province}", content, cancellationToken);
        var uploadTime = clock.Elapsed;
        if (upload.StatusCode != HttpStatusCode.Accepted)
        {
            await Console.Error.WriteLineAsync($"The upload was refused: {(int)upload.StatusCode} {await upload.Content.ReadAsStringAsync(cancellationToken)}");
            return ExitCodes.RequestsFailed;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"uploaded {file.BytesRead / 1024d / 1024:N1} MiB in {uploadTime.TotalSeconds:N1} s ({rows / uploadTime.TotalSeconds:N0} rows/s); processing..."));
        var timeline = new List<(TimeSpan At, long Done)>();
        JsonElement progress;
        while (true)
        {
            progress = await GetProgressAsync(http, batchId, cancellationToken);
            var done = Done(progress);
            timeline.Add((clock.Elapsed, done));
            var status = progress.GetProperty("status").GetString();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,7:N1} s  {status,-9} {done,9:N0} / {rows:N0} rows with a result"));
            if (status == "completed" || clock.Elapsed > timeout)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var total = clock.Elapsed;
        await stopSampling.CancelAsync();
        await sampling;
        var (sameAsEarlier, otherRejections) = await ClassifyRejectionsAsync(http, batchId, cancellationToken);
        var result = new ImportResult(batchId, rows, csv, province, seed, tokenSource, file.BytesRead, uploadTime, total, progress, timeline, memory,
            sameAsEarlier, otherRejections);
        Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
        await File.WriteAllTextAsync(reportPath, Render(result, MachineInfo.Collect()), CancellationToken.None);
        Console.WriteLine($"Report: {reportPath}");
        // Identical generated people make identical rows, which the batch rejects as "same as row N", as it should.
        return progress.GetProperty("status").GetString() == "completed" && otherRejections.Count == 0 ? ExitCodes.Ok : ExitCodes.RequestsFailed;
    }

    /// <summary>How many rejected rows repeat an earlier row, and the first few other rejections (which mean trouble).</summary>
    private static async Task<(long SameAsEarlier, List<string> Others)> ClassifyRejectionsAsync(HttpClient http, string batchId, CancellationToken cancellationToken)
    {
        long same = 0;
        var others = new List<string>();
        string? next = $"batches/{batchId}/rows?status=rejected&limit=1000";
        while (next is not null)
        {
            using var response = await http.GetAsync(next.TrimStart('/'), cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            foreach (var row in page.RootElement.GetProperty("rows").EnumerateArray())
            {
                var result = row.GetProperty("result");
                if (result.TryGetProperty("sameAsRow", out _))
                {
                    same++;
                }
                else if (others.Count < 5)
                {
                    others.Add($"row {row.GetProperty("rowNumber").GetInt32()}: {result.GetRawText()}");
                }
            }

            next = page.RootElement.GetProperty("next").GetString();
        }

        return (same, others);
    }

    private static async Task SampleAsync(ProcessMemory? memory, CancellationToken cancellationToken)
    {
        while (memory is not null && !cancellationToken.IsCancellationRequested)
        {
            memory.Sample();
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<JsonElement> GetProgressAsync(HttpClient http, string batchId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"batches/{batchId}", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }

    private static long Count(JsonElement progress, string status) => progress.GetProperty("rows").GetProperty(status).GetInt64();

    private static long Done(JsonElement progress) => Count(progress, "applied") + Count(progress, "duplicateCandidate") + Count(progress, "rejected");

    private static string Render(ImportResult run, MachineInfo machine)
    {
        var report = new StringBuilder();
        var p = run.Progress;
        var started = p.TryGetProperty("startedAt", out var s) && s.ValueKind == JsonValueKind.String ? s.GetDateTimeOffset() : (DateTimeOffset?)null;
        var finished = p.TryGetProperty("finishedAt", out var f) && f.ValueKind == JsonValueKind.String ? f.GetDateTimeOffset() : (DateTimeOffset?)null;
        var processing = started is { } from && finished is { } to ? to - from : (TimeSpan?)null;
        Append(report, $"# Load test: batch-import{(run.Csv ? " (CSV)" : "")}\n\n");
        Append(report, $"One provincial batch of {Formats.Count(run.Rows)} registrations, generated while it is uploaded (`PUT /batches/{{id}}`, {(run.Csv ? "CSV" : "NDJSON")}), ");
        Append(report, "then processed by the batch grain while the generator polls `GET /batches/{id}` once a second. Upload time runs from the first byte sent to the 202 answer, ");
        Append(report, "which the API gives once every row is stored; processing time is the batch's own `startedAt` to `finishedAt`; total time runs from the first byte to the poll that saw the batch completed.\n\n");
        Append(report, $"Run `{run.BatchId}`, started {DateTime.UtcNow - run.Total:yyyy-MM-dd HH:mm:ss} UTC.\n\n");
        MarkdownReport.WriteMachine(report, machine);
        Append(report, "## Parameters\n\n| parameter | value |\n|---|---|\n");
        Append(report, $"| rows | {Formats.Count(run.Rows)} registrations, every one born in province {run.Province}; people as in the `register` scenario |\n");
        Append(report, $"| format | {(run.Csv ? "CSV (header + 5 columns)" : "NDJSON")} |\n");
        Append(report, $"| file size | {run.Bytes / 1024d / 1024:N1} MiB, generated as sent (never held by the generator) |\n");
        Append(report, $"| uploader | central administrator (bearer token from {run.TokenSource}) |\n");
        Append(report, $"| seed | {run.Seed} |\n");
        Append(report, "| batch processing | silo defaults: chunks of 256 rows, 32 rows in flight, rows about the same person in file order |\n\n");
        Append(report, "## Results\n\n| | |\n|---|---|\n");
        Append(report, $"| **upload** | **{Formats.Rate(run.Rows / run.Upload.TotalSeconds)} rows/s** ({Formats.Seconds(run.Upload)}, {run.Bytes / 1024d / 1024 / run.Upload.TotalSeconds:N1} MiB/s) |\n");
        Append(report, processing is { } busy
            ? $"| **processing** | **{Formats.Rate(run.Rows / busy.TotalSeconds)} rows/s** ({Formats.Seconds(busy)}) |\n"
            : "| processing | did not finish |\n");
        Append(report, $"| total, first byte to last result | {Formats.Seconds(run.Total)} |\n");
        Append(report, $"| API peak resident memory while importing | {(run.Memory is { } m ? $"{m.PeakSampledBytes / 1024d / 1024:N0} MiB (sampled every 100 ms; pid {m.Pid})" : "not measured (no API pid file; start the cluster with cluster-config/up.sh)")} |\n");
        if (run.Memory is { } memory)
        {
            Append(report, $"| API resident memory high-water mark since it started | {memory.HighWaterMark() / 1024d / 1024:N0} MiB |\n");
        }

        Append(report, "\n## Rows by status\n\n| status | rows |\n|---|--:|\n");
        foreach (var status in new[] { "applied", "duplicateCandidate", "rejected", "pending" })
        {
            Append(report, $"| {status} | {Formats.Count(Count(p, status))} |\n");
        }

        Append(report, $"\nRejected rows identical to an earlier row of the file (`same as row N`): {Formats.Count(run.SameAsEarlier)}. ");
        Append(report, "The generator draws names and birth dates at random, so a 100,000-row file repeats a few people exactly; the batch rejects the repeats and ");
        Append(report, "holds back as duplicate candidates the rows that match someone registered before, as it should.");
        Append(report, run.OtherRejections.Count == 0 ? " No row was rejected for any other reason.\n\n" : " Other rejections (a fault):\n\n");
        foreach (var other in run.OtherRejections)
        {
            Append(report, $"- `{other}`\n");
        }

        if (run.OtherRejections.Count > 0)
        {
            Append(report, "\n");
        }
        Append(report, "## Progress\n\nRows with a result, as polled, every 10 s:\n\n```\n");
        var points = run.Timeline.Where((point, index) => index % 10 == 0 || index == run.Timeline.Count - 1).ToList();
        var bars = points.Select((point, index) => (
            Label: string.Create(CultureInfo.InvariantCulture, $"{point.At.TotalSeconds:N0} s"),
            Value: (double)point.Done,
            Note: "")).ToList();
        report.Append(BarChart.Render(bars));
        Append(report, "```\n\n## Reproduce\n\n```sh\ncluster-config/up.sh\n");
        Append(report, $"dotnet run --project load-tests/Registry.LoadTests -c Release -- batch-import --rows {run.Rows} --format {(run.Csv ? "csv" : "ndjson")} --province {run.Province} --seed {run.Seed}\n```\n");
        return report.ToString();
    }

    private static void Append(StringBuilder report, FormattableString text) => report.Append(text.ToString(CultureInfo.InvariantCulture));

    private static void Append(StringBuilder report, string text) => report.Append(text);

    private static string? FindUpwards(string relativePath)
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
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

        return name + ".md";
    }

    private sealed record ImportResult(
        string BatchId, int Rows, bool Csv, string Province, int Seed, string TokenSource, long Bytes, TimeSpan Upload, TimeSpan Total,
        JsonElement Progress, List<(TimeSpan At, long Done)> Timeline, ProcessMemory? Memory, long SameAsEarlier, List<string> OtherRejections);
}
