using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Provinces;

namespace Registry.Grains.Provinces;

/// <summary>
/// The durable side of province counters: table <c>registry.province_resident_change</c>, one row per change,
/// keyed by operation id. Inserting is how a change becomes durable and how a repeated one is recognised.
/// </summary>
public sealed class ProvinceLedger(NpgsqlDataSource database)
{
    /// <summary>Records the change unless its operation id is already recorded.</summary>
    /// <returns>True when this call recorded it.</returns>
    public async Task<bool> TryRecordAsync(string provinceCode, ResidentCountChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var command = database.CreateCommand(
            """
            INSERT INTO registry.province_resident_change (operation_id, province_code, personal_id, change, reason)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (operation_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.OperationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.PersonalIdNumber.Value });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = checked((short)change.Delta), NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReasonName(change.Reason) });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The resident count of a province: the sum of its recorded changes.</summary>
    public async Task<long> CountResidentsAsync(string provinceCode, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT COALESCE(SUM(change), 0)::bigint FROM registry.province_resident_change WHERE province_code = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string ReasonName(ResidentCountReason reason) => reason switch
    {
        ResidentCountReason.Registration => "registration",
        ResidentCountReason.Death => "death",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reason."),
    };
}
