using Npgsql;

namespace Registry.Api.Tests.Audit;

/// <summary>The audit log's rows as a test reads them back from PostgreSQL, newest first.</summary>
internal static class AuditRows
{
    /// <summary>The rows written for requests by <paramref name="actorId"/>.</summary>
    public static Task<List<AuditRow>> ByActorAsync(string connectionString, string actorId) =>
        ReadAsync(connectionString, "actor_id = $1", actorId);

    /// <summary>The rows naming <paramref name="personalIdNumber"/>.</summary>
    public static Task<List<AuditRow>> ByPersonAsync(string connectionString, string personalIdNumber) =>
        ReadAsync(connectionString, "person_numbers @> ARRAY[$1]::char(12)[]", personalIdNumber);

    /// <summary>Runs <paramref name="sql"/> on the database.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<AuditRow>> ReadAsync(string connectionString, string condition, string value)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
             SELECT actor_id, actor_role, purpose, purpose_note, endpoint, person_numbers, fields, outcome, status_code, client
             FROM registry.audit_entry WHERE {condition} ORDER BY accessed_at DESC, chain_id, position DESC
             """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        var rows = new List<AuditRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<string[]>(6),
                reader.GetString(7),
                reader.GetInt16(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return rows;
    }
}

/// <summary>An audit row's columns that tests check.</summary>
internal sealed record AuditRow(
    string ActorId, string? ActorRole, string? Purpose, string? PurposeNote, string Endpoint, string[] PersonNumbers, string[] Fields, string Outcome, int StatusCode, string? Client);
