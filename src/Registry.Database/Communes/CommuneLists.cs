using Npgsql;
using NpgsqlTypes;
using Registry.Domain.Provinces;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;

namespace Registry.Database.Communes;

/// <summary>What an import did with a commune list.</summary>
public enum CommuneListImport
{
    /// <summary>No list was stored for these units; now this one is.</summary>
    Imported,

    /// <summary>Another list was stored for these units; this one replaced it.</summary>
    Replaced,

    /// <summary>The same list was stored already: nothing changed.</summary>
    Unchanged,
}

/// <summary>A resident whose permanent commune is not one of their province's in the list in force.</summary>
/// <param name="PersonalIdNumber">The resident's number.</param>
/// <param name="FullName">Their name.</param>
/// <param name="CommuneCode">The commune on their record, e.g. a 2024 commune after the 2025 list came into force.</param>
public sealed record AddressToUpdate(PersonalIdNumber PersonalIdNumber, string FullName, string CommuneCode);

/// <summary>
/// The national commune lists in <c>registry.commune_list</c> and <c>registry.commune</c> (migration 0017): storing
/// an imported list, reading a province's communes of the list in force, and the residents whose commune is not in it.
/// </summary>
public sealed class CommuneLists(NpgsqlDataSource database)
{
    /// <summary>
    /// Stores <paramref name="list"/> for its units, replacing another list stored for them, in one transaction: a list
    /// is stored whole or not at all. The same list again (same digest) changes nothing.
    /// </summary>
    public async Task<CommuneListImport> ImportAsync(CommuneList list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        var digest = list.Digest;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Two imports of lists for the same units queue here, so the second compares with what the first stored.
        await using (var lockUnits = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('registry.commune_list:' || $1))", connection, transaction))
        {
            lockUnits.Parameters.Add(new NpgsqlParameter<string> { TypedValue = list.Units });
            await lockUnits.ExecuteNonQueryAsync(cancellationToken);
        }

        string? stored;
        await using (var read = new NpgsqlCommand("SELECT digest FROM registry.commune_list WHERE units = $1", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = list.Units });
            stored = await read.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (stored == digest)
        {
            return CommuneListImport.Unchanged;
        }

        // The list's communes go with it (ON DELETE CASCADE).
        await using (var delete = new NpgsqlCommand("DELETE FROM registry.commune_list WHERE units = $1", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = list.Units });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO registry.commune_list (units, digest, communes) VALUES ($1, $2, $3)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = list.Units });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digest, NpgsqlDbType = NpgsqlDbType.Char });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = list.Communes.Count });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY registry.commune (units, commune_code, province_code, district_code, district_name, commune_name) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var commune in list.Communes)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(list.Units, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(commune.Code, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(commune.ProvinceCode, NpgsqlDbType.Char, cancellationToken);
                await WriteNullableAsync(copy, commune.DistrictCode, NpgsqlDbType.Char, cancellationToken);
                await WriteNullableAsync(copy, commune.DistrictName, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(commune.Name, NpgsqlDbType.Varchar, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored is null ? CommuneListImport.Imported : CommuneListImport.Replaced;
    }

    /// <summary>The units of every stored list (<see cref="CommuneList.Units"/>).</summary>
    public async Task<string[]> StoredUnitsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT units FROM registry.commune_list ORDER BY units");
        var units = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            units.Add(reader.GetString(0));
        }

        return [.. units];
    }

    /// <summary>The communes of the list for <paramref name="units"/> listed under any of <paramref name="provinceCodes"/>, by code.</summary>
    public async Task<ListedCommune[]> CommunesOfAsync(string units, IReadOnlyCollection<string> provinceCodes, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT province_code, commune_code, commune_name, district_code, district_name
            FROM registry.commune
            WHERE units = $1 AND province_code = ANY($2)
            ORDER BY commune_code
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = units });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. provinceCodes], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char });
        var communes = new List<ListedCommune>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            communes.Add(new ListedCommune(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return [.. communes];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> living residents of <paramref name="provinceCode"/> under their current number,
    /// with numbers after <paramref name="after"/>, in number order, whose permanent commune is not in
    /// <paramref name="inForce"/> under the province. Residents who never declared a commune are not listed: they have
    /// no code to update.
    /// </summary>
    /// <remarks>
    /// Walks the province's living residents in number order (index <c>resident_alive_by_province</c>) and looks each
    /// commune up by the list's primary key, stopping after a page: cheap while most residents are to update (right
    /// after a new list came into force), and one pass over the province when few are left.
    /// </remarks>
    public async Task<AddressToUpdate[]> AddressesToUpdateAsync(
        string provinceCode, CommuneListInForce inForce, PersonalIdNumber? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inForce);
        await using var command = database.CreateCommand(
            """
            SELECT r.personal_id, r.full_name, r.permanent_residence_commune
            FROM registry.resident r
            WHERE r.permanent_residence_province = $1 AND r.personal_id > $2 AND r.alive AND r.superseded_by IS NULL
              AND r.permanent_residence_commune IS NOT NULL
              AND NOT EXISTS (
                  SELECT 1 FROM registry.commune c
                  WHERE c.units = $3 AND c.commune_code = r.permanent_residence_commune AND c.province_code = ANY($4))
            ORDER BY r.personal_id
            LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after?.Value ?? "", NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inForce.Units });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = inForce.ListedUnder, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var residents = new List<AddressToUpdate>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (PersonalIdNumber.TryParse(reader.GetString(0), out var number, out _))
            {
                residents.Add(new AddressToUpdate(number, reader.GetString(1), reader.GetString(2)));
            }
        }

        return [.. residents];
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}
