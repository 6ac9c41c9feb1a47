using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Registry.Contracts.Access;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Batches;

/// <summary>One row of a batch as the tests read it back.</summary>
public sealed record StoredRow(int RowNumber, string Status, JsonElement? Result);

/// <summary>
/// Batches put into PostgreSQL as the API's upload leaves them (every row stored, status received), so that the
/// batch grain can be tested without the HTTP layer, and read back afterwards.
/// </summary>
public static class StoredBatches
{
    /// <summary>A batch id no other test uses.</summary>
    public static string NewId(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(purpose.Length + 33, 80)];

    /// <summary>Stores a received batch of <paramref name="rows"/> (numbered from 1) uploaded by <paramref name="uploader"/>.</summary>
    public static async Task StoreAsync(string database, string batchId, Actor uploader, string provinceCode, IReadOnlyList<string> rows, string? csvHeader = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var batch = new NpgsqlCommand(
            """
            INSERT INTO registry.batch (batch_id, province_code, format, uploaded_by, uploaded_by_role, status, total_rows, csv_header)
            VALUES ($1, $2, $3, $4, $5, 'received', $6, $7)
            """, connection))
        {
            batch.Parameters.Add(new NpgsqlParameter { Value = batchId });
            batch.Parameters.Add(new NpgsqlParameter { Value = provinceCode });
            batch.Parameters.Add(new NpgsqlParameter { Value = csvHeader is null ? "ndjson" : "csv" });
            batch.Parameters.Add(new NpgsqlParameter { Value = uploader.Id });
            batch.Parameters.Add(new NpgsqlParameter { Value = uploader.Role == ActorRole.CentralAdministrator ? "centralAdministrator" : "provincialOfficer" });
            batch.Parameters.Add(new NpgsqlParameter { Value = rows.Count });
            batch.Parameters.Add(new NpgsqlParameter { Value = (object?)csvHeader ?? DBNull.Value });
            await batch.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO registry.batch_row (batch_id, row_number, raw, content_hash)
            SELECT $1, u.row_number, u.raw, u.hash FROM unnest($2::integer[], $3::text[], $4::bytea[]) AS u(row_number, raw, hash)
            """, connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = batchId });
        insert.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(1, rows.Count).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = rows.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(row => SHA256.HashData(Encoding.UTF8.GetBytes(row))).ToArray() });
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the batch is completed, failing after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilCompletedAsync(string database, string batchId, TimeSpan timeout) =>
        Eventually.ValueAsync(() => StatusAsync(database, batchId), static status => status == "completed", timeout, $"batch {batchId} completes");

    /// <summary>The batch's status.</summary>
    public static Task<string> StatusAsync(string database, string batchId) =>
        TestDatabase.ScalarAsync<string>(database, "SELECT status FROM registry.batch WHERE batch_id = $1", batchId);

    /// <summary>How many rows of the batch have <paramref name="status"/>.</summary>
    public static Task<long> CountAsync(string database, string batchId, string status) =>
        TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM registry.batch_row WHERE batch_id = $1 AND status = $2", batchId, status);

    /// <summary>Every row of the batch in order, with its status and result.</summary>
    public static async Task<StoredRow[]> RowsAsync(string database, string batchId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row_number, status, result::text FROM registry.batch_row WHERE batch_id = $1 ORDER BY row_number", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = batchId });
        var rows = new List<StoredRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredRow(reader.GetInt32(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : JsonDocument.Parse(reader.GetString(2)).RootElement.Clone()));
        }

        return [.. rows];
    }

    /// <summary>The personal ID number an applied row's result names.</summary>
    public static string Number(this StoredRow row) =>
        row.Result?.GetProperty("personalIdNumber").GetString() ?? throw new InvalidOperationException($"Row {row.RowNumber} has no number.");

    /// <summary>The fields its errors name, for a rejected row.</summary>
    public static string[] ErrorFields(this StoredRow row) =>
        [.. row.Result!.Value.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("field").GetString()!)];
}
