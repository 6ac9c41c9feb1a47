using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Provinces;
using Registry.Domain.Residents;

namespace Registry.Database.BulkLoad;

/// <summary>
/// How the bulk load counts its people in their provinces: the ledger rows a counter shard would have recorded for their
/// registrations (<see cref="Provinces.ProvinceLedger"/>'s table, operation id <c>registration:{number}</c>, the shard of
/// the number), copied in with the rest of the chunk. The only place the load writes counts, so that a change of the
/// counter design (checkpoints of the cells) changes this class alone. Only while no silo runs: a shard active during the
/// load would not see the rows until its next activation.
/// </summary>
internal static class ProvinceCountRows
{
    /// <summary>Copies the counts owed by the chunk's registrations, within its transaction.</summary>
    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<OwedCount> counts, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (province, change) in counts)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(change.OperationId, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(province, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(checked((short)IProvinceCounterGrain.ShardOf(change.PersonalIdNumber)), NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync(change.PersonalIdNumber.Value, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(checked((short)change.Delta), NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync(ReasonName(change.Reason), NpgsqlDbType.Varchar, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    // A first registration is counted as a birth or a registration (RegistrationRules.CountOwed), nothing else.
    private static string ReasonName(ResidentCountReason reason) => reason switch
    {
        ResidentCountReason.Registration => "registration",
        ResidentCountReason.Birth => "birth",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "A registration is counted as a registration or a birth."),
    };
}
