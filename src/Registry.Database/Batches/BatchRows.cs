using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Access;
using Registry.Contracts.Batches;
using Registry.Domain.Batches;

namespace Registry.Database.Batches;

/// <summary>A batch as the batch grain needs it: who uploaded it for which province, its format and status.</summary>
/// <param name="BatchId">The batch id.</param>
/// <param name="Uploader">The actor the rows are processed as.</param>
/// <param name="Format">NDJSON or CSV.</param>
/// <param name="CsvHeader">The header line of a CSV batch.</param>
/// <param name="Status">Where the batch is.</param>
public sealed record BatchDescription(string BatchId, Actor Uploader, BatchFormat Format, string? CsvHeader, BatchStatus Status);

/// <summary>A row waiting for its result.</summary>
/// <param name="RowNumber">Its record number in the file.</param>
/// <param name="Text">The record as uploaded.</param>
/// <param name="SameAsRow">An earlier row of the batch with identical content, if any.</param>
public sealed record PendingRow(int RowNumber, string Text, int? SameAsRow);

/// <summary>The result of one processed row.</summary>
public sealed record ProcessedRow(int RowNumber, BatchRowStatus Status, BatchRowResult Result);

/// <summary>
/// The batch grain's side of tables <c>registry.batch</c> and <c>registry.batch_row</c> (migration 0007): reads
/// pending rows a chunk at a time and writes a chunk's results in one round trip. The API stores the rows and reads
/// progress on its own side.
/// </summary>
public sealed class BatchRows(NpgsqlDataSource database)
{
    /// <summary>The batch, or null when nobody uploaded it.</summary>
    public async Task<BatchDescription?> FindAsync(string batchId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT province_code, format, uploaded_by, uploaded_by_role, csv_header, status FROM registry.batch WHERE batch_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var province = reader.GetString(0);
        var role = reader.GetString(3) switch
        {
            "provincialOfficer" => ActorRole.ProvincialOfficer,
            "centralAdministrator" => ActorRole.CentralAdministrator,
            var other => throw new InvalidOperationException($"Batch {batchId} was uploaded by an unknown role '{other}'."),
        };
        // A provincial officer uploads for their own province, so the batch's province is theirs.
        var uploader = new Actor(reader.GetString(2), role, role == ActorRole.ProvincialOfficer ? province : null);
        return new BatchDescription(batchId, uploader, BatchFormats.Parse(reader.GetString(1)),
            await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetString(4),
            BatchStatusNames.ParseBatchStatus(reader.GetString(5)));
    }

    /// <summary>Marks a received batch running (first time: its start time); returns the status it then has.</summary>
    public async Task<BatchStatus?> MarkRunningAsync(string batchId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            WITH started AS (
                UPDATE registry.batch
                SET status = 'running', started_at = COALESCE(started_at, now()), updated_at = now()
                WHERE batch_id = $1 AND status = 'received'
                RETURNING status)
            SELECT status FROM started
            UNION ALL
            SELECT status FROM registry.batch WHERE batch_id = $1 AND NOT EXISTS (SELECT 1 FROM started)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        return await command.ExecuteScalarAsync(cancellationToken) is string status ? BatchStatusNames.ParseBatchStatus(status) : null;
    }

    /// <summary>
    /// The first <paramref name="limit"/> pending rows in file order, each with the earliest earlier row of identical
    /// content (found through the content hash index).
    /// </summary>
    public async Task<IReadOnlyList<PendingRow>> ReadPendingAsync(string batchId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT r.row_number, r.raw,
                   (SELECT e.row_number FROM registry.batch_row e
                    WHERE e.batch_id = r.batch_id AND e.content_hash = r.content_hash AND e.row_number < r.row_number
                    ORDER BY e.row_number LIMIT 1)
            FROM registry.batch_row r
            WHERE r.batch_id = $1 AND r.status = 'pending'
            ORDER BY r.row_number
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var rows = new List<PendingRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PendingRow(reader.GetInt32(0), reader.GetString(1), await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetInt32(2)));
        }

        return rows;
    }

    /// <summary>
    /// Records the results of a chunk in one statement. Only pending rows are updated: a result, once written, is the
    /// row's result for good, even if a second activation (briefly possible after a silo is lost) processed it too.
    /// </summary>
    public async Task WriteResultsAsync(string batchId, IReadOnlyCollection<ProcessedRow> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return;
        }

        await using var command = database.CreateCommand(
            """
            UPDATE registry.batch_row AS r
            SET status = u.status, result = u.result, processed_at = now()
            FROM unnest($2::integer[], $3::text[], $4::jsonb[]) AS u(row_number, status, result)
            WHERE r.batch_id = $1 AND r.row_number = u.row_number AND r.status = 'pending'
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. results.Select(row => row.RowNumber)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. results.Select(row => BatchStatusNames.Name(row.Status))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. results.Select(row => row.Result.ToJson())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the batch completed if no row is pending; returns whether it is completed.</summary>
    public async Task<bool> TryCompleteAsync(string batchId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            UPDATE registry.batch
            SET status = 'completed', finished_at = now(), updated_at = now()
            WHERE batch_id = $1 AND status = 'running'
              AND NOT EXISTS (SELECT 1 FROM registry.batch_row WHERE batch_id = $1 AND status = 'pending')
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
