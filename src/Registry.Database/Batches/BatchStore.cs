using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Access;
using Registry.Contracts.Batches;
using Registry.Domain.Batches;

namespace Registry.Database.Batches;

/// <summary>A batch as stored: whose it is, what it is, how far its upload got.</summary>
/// <param name="BatchId">The batch id.</param>
/// <param name="ProvinceCode">The province it is for.</param>
/// <param name="Format">NDJSON or CSV.</param>
/// <param name="UploadedBy">The uploader's id.</param>
/// <param name="UploaderRole">The uploader's role.</param>
/// <param name="CsvHeader">The CSV header line.</param>
/// <param name="Status">Where the batch is.</param>
/// <param name="StoredRows">The highest row number stored: rows are stored in order, a chunk at a time.</param>
public sealed record StoredBatch(
    string BatchId, string ProvinceCode, BatchFormat Format, string UploadedBy, ActorRole UploaderRole, string? CsvHeader, BatchStatus Status, int StoredRows);

/// <summary>A record ready to store under its row number.</summary>
/// <param name="RowNumber">Its record number in the file.</param>
/// <param name="Text">The record as uploaded; null when <paramref name="Problem"/> is set.</param>
/// <param name="Hash">SHA-256 of the record's UTF-8 bytes, which finds identical rows; null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the record was refused while uploading; null for a record to process.</param>
public sealed record UploadedRow(int RowNumber, string? Text, byte[]? Hash, string? Problem);

/// <summary>Progress of a batch: counts of rows by status and the times of its life.</summary>
public sealed record BatchCounts(
    StoredBatch Batch, int? TotalRows, long Pending, long Applied, long DuplicateCandidate, long Rejected,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset Now);

/// <summary>One row's result as read back.</summary>
public sealed record RowResult(int RowNumber, BatchRowStatus Status, string? ResultJson, DateTimeOffset? ProcessedAt);

/// <summary>
/// The API's side of <c>registry.batch</c> and <c>registry.batch_row</c> (migration 0007): storing an upload a chunk of
/// rows per round trip, and reading progress and results straight from PostgreSQL (no silo involved). The batch grain
/// processes the rows on its side.
/// </summary>
public sealed class BatchStore(NpgsqlDataSource database)
{
    private const string BatchColumns = "batch_id, province_code, format, uploaded_by, uploaded_by_role, csv_header, status, " +
        "(SELECT COALESCE(max(row_number), 0) FROM registry.batch_row r WHERE r.batch_id = b.batch_id)";

    /// <summary>The batch, or null when nobody uploaded it.</summary>
    public async Task<StoredBatch?> FindAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"SELECT {BatchColumns} FROM registry.batch b WHERE batch_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? await ReadBatchAsync(reader, cancellationToken) : null;
    }

    /// <summary>
    /// Creates the batch in status receiving unless a batch has this id; returns the batch with this id either way,
    /// so that a caller racing another upload of the same id sees who won.
    /// </summary>
    public async Task<StoredBatch> CreateAsync(string batchId, string provinceCode, BatchFormat format, Actor uploader, string? csvHeader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploader);
        await using (var insert = database.CreateCommand(
            """
            INSERT INTO registry.batch (batch_id, province_code, format, uploaded_by, uploaded_by_role, csv_header)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (batch_id) DO NOTHING
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BatchFormats.Name(format) });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = uploader.Id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RoleName(uploader.Role) });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)csvHeader ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return await FindAsync(batchId, cancellationToken) ?? throw new InvalidOperationException($"Batch {batchId} vanished after it was created.");
    }

    /// <summary>
    /// Stores a chunk of records in one round trip. A record already stored under its number is left as it is, so a
    /// chunk stored again after an interrupted upload inserts nothing twice. A record refused while uploading is
    /// stored rejected with its reason; every other one pending.
    /// </summary>
    public async Task StoreRowsAsync(string batchId, IReadOnlyCollection<UploadedRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = database.CreateCommand(
            """
            INSERT INTO registry.batch_row (batch_id, row_number, raw, content_hash, status, result, processed_at)
            SELECT $1, u.row_number, u.raw, u.hash,
                   CASE WHEN u.result IS NULL THEN 'pending' ELSE 'rejected' END,
                   u.result,
                   CASE WHEN u.result IS NULL THEN NULL ELSE now() END
            FROM unnest($2::integer[], $3::text[], $4::bytea[], $5::jsonb[]) AS u(row_number, raw, hash, result)
            ON CONFLICT (batch_id, row_number) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. rows.Select(row => row.RowNumber)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(row => row.Text)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = [.. rows.Select(row => row.Hash)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<string?[]>
        {
            TypedValue = [.. rows.Select(row => row.Problem is { } problem ? BatchRowResult.Rejection(BatchLimits.RowField, problem).ToJson() : null)],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the batch received with its row count, once every row is stored.</summary>
    public async Task MarkReceivedAsync(string batchId, int totalRows, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "UPDATE registry.batch SET status = 'received', total_rows = $2, updated_at = now() WHERE batch_id = $1 AND status = 'receiving'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = totalRows });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The batch's progress, or null when nobody uploaded it.</summary>
    public async Task<BatchCounts?> CountAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            $"""
            SELECT {BatchColumns}, total_rows, created_at, started_at, finished_at, now(),
                   (SELECT count(*) FROM registry.batch_row r WHERE r.batch_id = b.batch_id AND r.status = 'pending'),
                   (SELECT count(*) FROM registry.batch_row r WHERE r.batch_id = b.batch_id AND r.status = 'applied'),
                   (SELECT count(*) FROM registry.batch_row r WHERE r.batch_id = b.batch_id AND r.status = 'duplicateCandidate'),
                   (SELECT count(*) FROM registry.batch_row r WHERE r.batch_id = b.batch_id AND r.status = 'rejected')
            FROM registry.batch b WHERE batch_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var batch = await ReadBatchAsync(reader, cancellationToken);
        return new BatchCounts(
            batch,
            await reader.IsDBNullAsync(8, cancellationToken) ? null : reader.GetInt32(8),
            reader.GetInt64(13), reader.GetInt64(14), reader.GetInt64(15), reader.GetInt64(16),
            reader.GetFieldValue<DateTimeOffset>(9),
            await reader.IsDBNullAsync(10, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(10),
            await reader.IsDBNullAsync(11, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(11),
            reader.GetFieldValue<DateTimeOffset>(12));
    }

    /// <summary>Up to <paramref name="limit"/> rows after row <paramref name="after"/>, in order, optionally of one status.</summary>
    public async Task<IReadOnlyList<RowResult>> RowsAsync(string batchId, BatchRowStatus? status, int after, int limit, CancellationToken cancellationToken)
    {
        // Two statements rather than "status = $2 OR $2 IS NULL", so that each has a plan on its own index.
        await using var command = database.CreateCommand(status is null
            ? """
              SELECT row_number, status, result::text, processed_at FROM registry.batch_row
              WHERE batch_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3
              """
            : """
              SELECT row_number, status, result::text, processed_at FROM registry.batch_row
              WHERE batch_id = $1 AND row_number > $2 AND status = $4 ORDER BY row_number LIMIT $3
              """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        if (status is { } wanted)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BatchStatusNames.Name(wanted) });
        }

        var rows = new List<RowResult>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RowResult(
                reader.GetInt32(0),
                BatchStatusNames.ParseRowStatus(reader.GetString(1)) ?? throw new InvalidOperationException($"Unknown row status '{reader.GetString(1)}'."),
                await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetString(2),
                await reader.IsDBNullAsync(3, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    /// <summary>The role's name in <c>registry.batch.uploaded_by_role</c>.</summary>
    public static string RoleName(ActorRole role) => role switch
    {
        ActorRole.ProvincialOfficer => "provincialOfficer",
        ActorRole.CentralAdministrator => "centralAdministrator",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Only provincial officers and central administrators upload batches."),
    };

    private static async Task<StoredBatch> ReadBatchAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) => new(
        reader.GetString(0),
        reader.GetString(1),
        BatchFormats.Parse(reader.GetString(2)),
        reader.GetString(3),
        reader.GetString(4) == "centralAdministrator" ? ActorRole.CentralAdministrator : ActorRole.ProvincialOfficer,
        await reader.IsDBNullAsync(5, cancellationToken) ? null : reader.GetString(5),
        BatchStatusNames.ParseBatchStatus(reader.GetString(6)),
        reader.GetInt32(7));
}
