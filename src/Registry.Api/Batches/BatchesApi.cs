using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Batches;
using Registry.Contracts.Provinces;
using Registry.Database.Batches;
using Registry.Domain.Access;
using Registry.Domain.Batches;
using Registry.Domain.Residents;

namespace Registry.Api.Batches;

/// <summary>
/// The <c>/batches</c> resource: a province's daily file of registrations and amendments, uploaded as a stream, stored
/// row by row, processed by the batch grain, with its progress and every row's result read from PostgreSQL.
/// </summary>
public static partial class BatchesApi
{
    private const string LogCategory = "Registry.Api.Batches.BatchesApi";

    private const string FormatDescription =
        "Streams the body (NDJSON, Content-Type application/x-ndjson; or CSV, text/csv, RFC 4180 with a header line) into the registry " +
        "a chunk of rows at a time, then starts processing and answers 202 with Location /batches/{batchId}. " +
        "Rows are records ending at LF (CRLF accepted; in CSV an LF inside a quoted field belongs to the field); empty lines are not rows; " +
        "row numbers count rows from 1 (CSV: after the header). Each row has a kind. " +
        "kind=registration: fullName, birthDate (yyyy-MM-dd), sex (male|female), birthRegistrationProvince (3 digits) are required; " +
        "optional: otherNames (NDJSON array; CSV separated by ';'), hometown, ethnicity, religion, nationality " +
        "(vietnamese|undeterminedVietnameseOrigin|foreignLongTermResident), identityCertificate {issuedOn, commune, livingInCommuneSince} " +
        "(CSV columns identityCertificate.issuedOn, identityCertificate.commune, identityCertificate.livingInCommuneSince; required for " +
        "undetermined nationality), permanentAddress, mother, father, spouse, guardian (12-digit numbers of registered people), issuedNumber " +
        "(a number issued before the registry), confirmedNotDuplicate (true|false). " +
        "kind=amendment: personalIdNumber, field, value, reason, documentReference: one field per row, the value in the text form of " +
        "POST /residents/{personalIdNumber}/amendments; no value clears the field. " +
        "NDJSON null and empty CSV cells mean 'not given'. A CSV header names kind and the required columns of registrations, of amendments " +
        "or both; a missing, unknown or repeated column is refused with 400 naming it, and nothing is stored. " +
        "Every row gets a result: applied (with the personal ID number), duplicateCandidate (with the candidates; upload the row again in a " +
        "new batch with confirmedNotDuplicate=true if it is someone else) or rejected (errors naming the field, 'row' for the row as a whole: " +
        "longer than 65,536 bytes, not valid UTF-8, not JSON, or 'same as row N' for an identical earlier row). " +
        "Rows are processed in file order as the uploader: an officer registers and amends only people of their province. " +
        "A UTF-8 byte order mark is skipped; a UTF-16 or UTF-32 file is refused with 415. " +
        "The batch id (1–80 printable ASCII characters) makes the upload idempotent: the same id, province and uploader again resumes an " +
        "interrupted upload (rows already stored are kept) or answers 202 for one already stored; with another province, uploader or format, 409. " +
        "A provincial officer uploads for their own province; a central administrator names the province with ?province=.";

    /// <summary>Maps the batch endpoints.</summary>
    public static IEndpointRouteBuilder MapBatchesApi(this IEndpointRouteBuilder endpoints)
    {
        var batches = endpoints.MapGroup("/batches").WithTags("Batches").AuditsPersonalData()
            // Batches are a province's working data: officers (of that province) and central administrators.
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        // Only the upload needs the cluster (to start the batch grain); progress and results are read from PostgreSQL.
        batches.MapGroup("").RequireClusterConnection().MapPut("/{batchId}", UploadAsync)
            .WithName("UploadBatch")
            .WithSummary("Upload a province's daily batch of registrations and amendments (NDJSON or CSV)")
            .WithDescription(FormatDescription)
            .Accepts<string>(BatchFormats.NdjsonMediaType, BatchFormats.CsvMediaType)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        batches.MapGet("/{batchId}", GetAsync)
            .WithName("GetBatch")
            .WithSummary("Read a batch's progress: rows by status, total, status, start and finish, rows per second")
            .WithDescription("Read from the database while the batch runs; no silo is asked.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        batches.MapGet("/{batchId}/rows", GetRowsAsync)
            .WithName("GetBatchRows")
            .AuditsPersonalData()
            .WithSummary("List the rows' results in file order, optionally of one status")
            .WithDescription("status: pending, applied, duplicateCandidate or rejected; after: the last row number of the previous page (0 to start); " +
                             "limit: 1–1000 (default 100). next holds the following page's address until the last page. The rows name people: " +
                             $"officers of the batch's province and central administrators read them, stating a purpose in {PurposeHeaders.Code} and {PurposeHeaders.Note}.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    /// <summary>The address of a batch's row results.</summary>
    public static string RowsPath(string batchId) => $"/batches/{Uri.EscapeDataString(batchId)}/rows";

    private static async Task<Results<Accepted<BatchProgressResponse>, RefusalProblem>> UploadAsync(
        string batchId,
        [FromQuery] string? province,
        HttpContext context,
        BatchStore store,
        IClusterClient cluster,
        IOptions<BatchUploadOptions> options,
        ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        if (BatchIds.Check(batchId) is { } idError)
        {
            return Invalid("batchId", idError);
        }

        var format = BatchFormats.FromMediaType(
            MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType) ? contentType.MediaType.Value : null);
        if (format is not { } batchFormat)
        {
            return RequestProblems.For(new Refusal(RefusalKind.UnsupportedFormat, "A batch is NDJSON (application/x-ndjson) or CSV (text/csv); nothing was stored.",
                [new FieldError("Content-Type", $"The request's Content-Type is '{context.Request.ContentType}'.")]));
        }

        var actor = context.User.ToActor();
        var (provinceCode, provinceError, forbidden) = ProvinceOf(actor, province);
        if (provinceError is not null)
        {
            return Invalid("province", provinceError);
        }

        if (forbidden is not null)
        {
            return forbidden;
        }

        var existing = await store.FindAsync(batchId, cancellationToken);
        if (existing is not null && Conflict(existing, provinceCode!, batchFormat, actor, csvHeader: null) is { } conflict)
        {
            return conflict;
        }

        if (existing is { Status: not BatchStatus.Receiving })
        {
            // Every row is stored already: the upload is a repeat, and the body is not read at all.
            return await StartAsync(batchId, store, cluster, cancellationToken);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = options.Value.MaxUploadBytes;
        }

        var reader = new BatchRecordReader(context.Request.BodyReader, batchFormat);
        if (await reader.CheckEncodingAsync(cancellationToken) is { } encoding)
        {
            return RequestProblems.For(new Refusal(RefusalKind.UnsupportedFormat, "A batch is UTF-8 text; nothing was stored.",
                [new FieldError("body", $"The file starts with the byte order mark of {encoding}. Save it as UTF-8 and upload it again.")]));
        }

        string? header = null;
        if (batchFormat == BatchFormat.Csv)
        {
            var first = await reader.ReadAsync(cancellationToken);
            if (first is not { Text: { } text })
            {
                return Invalid("header", first is null
                    ? "A CSV batch starts with a header line naming the columns."
                    : $"The header line is refused: {first.Problem}.");
            }

            var (_, headerErrors) = BatchRowParser.ReadHeader(text);
            if (headerErrors.Length > 0)
            {
                return RequestProblems.Invalid(headerErrors);
            }

            header = text;
        }

        var batch = existing ?? await store.CreateAsync(batchId, provinceCode!, batchFormat, actor, header, cancellationToken);
        if (Conflict(batch, provinceCode!, batchFormat, actor, header) is { } raced)
        {
            return raced;
        }

        if (batch.Status == BatchStatus.Receiving)
        {
            var rows = await StoreRowsAsync(reader, store, batch, options.Value, cancellationToken);
            await store.MarkReceivedAsync(batchId, rows, cancellationToken);
            var logger = loggers.CreateLogger(LogCategory);
            LogReceived(logger, batchId, rows, batch.StoredRows, actor.Id);
        }

        return await StartAsync(batchId, store, cluster, cancellationToken);
    }

    /// <summary>
    /// Reads the records and stores them a chunk per round trip, the next chunk read while the previous one is being
    /// written. Rows already stored by an interrupted upload are read through and skipped.
    /// </summary>
    private static async Task<int> StoreRowsAsync(BatchRecordReader reader, BatchStore store, StoredBatch batch, BatchUploadOptions options, CancellationToken cancellationToken)
    {
        var rowNumber = 0;
        var chunk = new List<UploadedRow>(options.ChunkRows);
        long chunkBytes = 0;
        var storing = Task.CompletedTask;
        try
        {
            while (await reader.ReadAsync(cancellationToken) is { } record)
            {
                rowNumber = checked(rowNumber + 1);
                if (rowNumber <= batch.StoredRows)
                {
                    continue;
                }

                chunk.Add(new UploadedRow(rowNumber, record.Text, record.Hash, record.Problem));
                chunkBytes += record.Text?.Length ?? 0;
                if (chunk.Count >= options.ChunkRows || chunkBytes >= options.ChunkBytes)
                {
                    await storing;
                    storing = store.StoreRowsAsync(batch.BatchId, chunk, cancellationToken);
                    chunk = new List<UploadedRow>(options.ChunkRows);
                    chunkBytes = 0;
                }
            }
        }
        catch (Exception) when (!storing.IsCompleted)
        {
            // The body broke off: let the chunk in flight finish or fail before the request ends, so that nothing
            // runs on after it; the break is what the caller hears about.
            await storing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        await storing;
        await store.StoreRowsAsync(batch.BatchId, chunk, cancellationToken);
        return rowNumber;
    }

    private static async Task<Results<Accepted<BatchProgressResponse>, RefusalProblem>> StartAsync(
        string batchId, BatchStore store, IClusterClient cluster, CancellationToken cancellationToken)
    {
        await cluster.Batch(batchId).StartAsync();
        var counts = await store.CountAsync(batchId, cancellationToken) ?? throw new InvalidOperationException($"Batch {batchId} vanished.");
        return TypedResults.Accepted($"/batches/{Uri.EscapeDataString(batchId)}", BatchProgressResponse.From(counts));
    }

    private static async Task<Results<Ok<BatchProgressResponse>, RefusalProblem>> GetAsync(
        string batchId, HttpContext context, BatchStore store)
    {
        if (BatchIds.Check(batchId) is { } idError)
        {
            return Invalid("batchId", idError);
        }

        var counts = await store.CountAsync(batchId, context.RequestAborted);
        if (counts is null)
        {
            return NotFound(batchId);
        }

        return ReaderRefusal(context.User.ToActor(), counts.Batch) is { } refused ? refused : TypedResults.Ok(BatchProgressResponse.From(counts));
    }

    private static async Task<Results<Ok<BatchRowsResponse>, RefusalProblem>> GetRowsAsync(
        string batchId,
        [FromQuery] string? status,
        [FromQuery] string? after,
        [FromQuery] string? limit,
        HttpContext context,
        BatchStore store)
    {
        var errors = new FieldErrors();
        errors.Add("batchId", BatchIds.Check(batchId));
        var wanted = BatchStatusNames.ParseRowStatus(status);
        errors.Add("status", status is not null && wanted is null ? $"status is pending, applied, duplicateCandidate or rejected, not '{status}'." : null);
        var afterRow = 0;
        errors.Add("after", after is not null && !(int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterRow) && afterRow >= 0)
            ? "after is a row number, 0 or more." : null);
        var pageSize = 100;
        errors.Add("limit", limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= 1000)
            ? "limit is a number from 1 to 1000." : null);
        var actor = context.User.ToActor();
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        var batch = await store.FindAsync(batchId, context.RequestAborted);
        if (batch is null)
        {
            return NotFound(batchId);
        }

        // The rows name the people registered and the candidates found: personal data of the batch's province.
        if (Readers.RefusalFor(actor, PersonalDataKind.BatchRows, batch.ProvinceCode) is { } refusal)
        {
            return context.RefuseRead($"Batch '{batch.BatchId}' is a batch of province {batch.ProvinceCode}. {refusal}");
        }

        var rows = await store.RowsAsync(batchId, wanted, afterRow, pageSize, context.RequestAborted);
        AuditPeople(context.Audit(), rows);
        var next = rows.Count == pageSize
            ? string.Create(CultureInfo.InvariantCulture, $"{RowsPath(batchId)}?{(status is null ? "" : $"status={status}&")}after={rows[^1].RowNumber}&limit={pageSize}")
            : null;
        return TypedResults.Ok(new BatchRowsResponse([.. rows.Select(BatchRowResponse.From)], next));
    }

    /// <summary>The province an upload is for: an officer's own, or the one a central administrator names.</summary>
    private static (string? Province, string? Invalid, RefusalProblem? Forbidden) ProvinceOf(Actor actor, string? requested)
    {
        if (actor.Role == ActorRole.CentralAdministrator)
        {
            return ProvinceCatalog.IsKnown(requested) ? (requested, null, null) : (null, requested is null
                ? "A central administrator names the batch's province with ?province= (3-digit code)."
                : $"'{requested}' is not one of the 63 province codes.", null);
        }

        // An officer may leave the province out: it is their own.
        var province = requested ?? actor.ProvinceCode;
        return Jurisdiction.RefusalFor(actor, province, "uploads batches for") is { } refusal
            ? (null, null, RequestProblems.For(new Refusal(RefusalKind.Forbidden, AccessProblems.ForbiddenTitle, [new FieldError("actor", refusal)])))
            : (province, null, null);
    }

    /// <summary>Records for the audit the people the rows' results name: the person registered or amended, the candidates.</summary>
    private static void AuditPeople(AuditedAccess audit, IEnumerable<RowResult> rows)
    {
        foreach (var row in rows)
        {
            if (row.ResultJson is null)
            {
                continue;
            }

            using var result = JsonDocument.Parse(row.ResultJson);
            if (result.RootElement.TryGetProperty("personalIdNumber", out var number) && number.GetString() is { } applied)
            {
                audit.Touch(applied, ["result.personalIdNumber"]);
            }

            if (result.RootElement.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
            {
                foreach (var candidate in candidates.EnumerateArray())
                {
                    if (candidate.TryGetProperty("personalIdNumber", out var candidateNumber) && candidateNumber.GetString() is { } found)
                    {
                        audit.Touch(found, [.. candidate.EnumerateObject().Select(field => "result.candidates." + field.Name)]);
                    }
                }
            }
        }
    }

    /// <summary>Why an upload of <paramref name="batch"/>'s id is not the same batch again, or null when it is.</summary>
    private static RefusalProblem? Conflict(StoredBatch batch, string province, BatchFormat format, Actor uploader, string? csvHeader)
    {
        var differences = new List<string>();
        if (batch.ProvinceCode != province)
        {
            differences.Add($"it is for province {batch.ProvinceCode}");
        }

        if (batch.UploadedBy != uploader.Id || batch.UploaderRole != uploader.Role)
        {
            differences.Add("it was uploaded by someone else");
        }

        if (batch.Format != format)
        {
            differences.Add($"it is {BatchFormats.Name(batch.Format)}");
        }
        else if (csvHeader is not null && batch.CsvHeader != csvHeader)
        {
            differences.Add("its CSV header is different");
        }

        return differences.Count == 0 ? null : RequestProblems.For(new Refusal(RefusalKind.Conflict, "This batch id belongs to another upload; nothing was stored.",
            [new FieldError("batchId", $"Batch '{batch.BatchId}' exists and {string.Join(", ", differences)}. Use a new batch id for a new file.")]));
    }

    /// <summary>Officers read the batches of their own province; central administrators read every batch.</summary>
    private static RefusalProblem? ReaderRefusal(Actor actor, StoredBatch batch) =>
        Jurisdiction.RefusalFor(actor, batch.ProvinceCode, "reads the batches of") is { } refusal
            ? RequestProblems.For(new Refusal(RefusalKind.Forbidden, AccessProblems.ForbiddenTitle,
                [new FieldError("actor", $"Batch '{batch.BatchId}' is a batch of province {batch.ProvinceCode}. {refusal}")]))
            : null;

    private static RefusalProblem NotFound(string batchId) =>
        RequestProblems.For(new Refusal(RefusalKind.NotFound, "No batch has this id.", [new FieldError("batchId", $"Batch '{batchId}' was never uploaded.")]));

    private static RefusalProblem Invalid(string field, string message) => RequestProblems.For(Refusal.Invalid(field, message));

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} received: {Rows} rows ({AlreadyStored} stored by an earlier attempt), uploaded by {Uploader}")]
    private static partial void LogReceived(ILogger logger, string batchId, int rows, int alreadyStored, string uploader);
}
