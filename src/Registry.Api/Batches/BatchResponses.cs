using System.Text.Json;
using Registry.Database.Batches;
using Registry.Domain.Batches;

namespace Registry.Api.Batches;

/// <summary>A batch's progress, as <c>GET /batches/{batchId}</c> reports it while it runs and after.</summary>
/// <param name="BatchId">The batch id.</param>
/// <param name="ProvinceCode">The province it is for.</param>
/// <param name="Format">"ndjson" or "csv".</param>
/// <param name="Status">"receiving" (upload incomplete: upload again to resume), "received", "running" or "completed".</param>
/// <param name="UploadedBy">The uploader's id; the rows are processed as them.</param>
/// <param name="TotalRows">Rows in the file, once the whole file is stored.</param>
/// <param name="StoredRows">Rows stored so far.</param>
/// <param name="Rows">Rows by status.</param>
/// <param name="CreatedAt">When the first upload began.</param>
/// <param name="StartedAt">When processing began.</param>
/// <param name="FinishedAt">When the last row got its result.</param>
/// <param name="RowsPerSecond">Rows with a result per second since processing began.</param>
/// <param name="Results">Where the rows' results are listed.</param>
public sealed record BatchProgressResponse(
    string BatchId,
    string ProvinceCode,
    string Format,
    string Status,
    string UploadedBy,
    int? TotalRows,
    int StoredRows,
    BatchRowCounts Rows,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? RowsPerSecond,
    string Results)
{
    /// <summary>The response for <paramref name="counts"/>.</summary>
    public static BatchProgressResponse From(BatchCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var batch = counts.Batch;
        var done = counts.Applied + counts.DuplicateCandidate + counts.Rejected;
        var elapsed = counts.StartedAt is { } started ? (counts.FinishedAt ?? counts.Now) - started : TimeSpan.Zero;
        return new(
            batch.BatchId,
            batch.ProvinceCode,
            BatchFormats.Name(batch.Format),
            BatchStatusNames.Name(batch.Status),
            batch.UploadedBy,
            counts.TotalRows,
            batch.StoredRows,
            new BatchRowCounts(counts.Pending, counts.Applied, counts.DuplicateCandidate, counts.Rejected),
            counts.CreatedAt,
            counts.StartedAt,
            counts.FinishedAt,
            elapsed > TimeSpan.Zero ? Math.Round(done / elapsed.TotalSeconds, 1) : null,
            BatchesApi.RowsPath(batch.BatchId));
    }
}

/// <summary>Rows of a batch by status.</summary>
/// <param name="Pending">Waiting for their result.</param>
/// <param name="Applied">Registered or amended.</param>
/// <param name="DuplicateCandidate">Held back: people with the same name, birth date and birth province exist.</param>
/// <param name="Rejected">Refused, with the reasons.</param>
public sealed record BatchRowCounts(long Pending, long Applied, long DuplicateCandidate, long Rejected);

/// <summary>A page of row results.</summary>
/// <param name="Rows">The rows, in file order.</param>
/// <param name="Next">The next page, or null after the last.</param>
public sealed record BatchRowsResponse(BatchRowResponse[] Rows, string? Next);

/// <summary>One row's result.</summary>
/// <param name="RowNumber">1-based record number in the file (CSV: after the header).</param>
/// <param name="Status">"pending", "applied", "duplicateCandidate" or "rejected".</param>
/// <param name="Result">
/// applied: {"personalIdNumber"}; duplicateCandidate: {"candidates": [...]}; rejected: {"errors": [{"field", "message"}]},
/// with "sameAsRow" when an identical earlier row was the reason. Null while pending.
/// </param>
/// <param name="ProcessedAt">When the result was recorded.</param>
public sealed record BatchRowResponse(int RowNumber, string Status, JsonElement? Result, DateTimeOffset? ProcessedAt)
{
    /// <summary>The response for <paramref name="row"/>.</summary>
    public static BatchRowResponse From(RowResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        JsonElement? result = null;
        if (row.ResultJson is { } json)
        {
            using var document = JsonDocument.Parse(json);
            result = document.RootElement.Clone();
        }

        return new(row.RowNumber, BatchStatusNames.Name(row.Status), result, row.ProcessedAt);
    }
}
