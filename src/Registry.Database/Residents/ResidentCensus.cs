using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Identity;

namespace Registry.Database.Residents;

/// <summary>
/// The living people of provinces as the read model knows them (alive, under their current number, by province of
/// permanent residence): what reconciliation compares the counters with, whom a reorganisation moves, and whom the
/// residence sweep looks at.
/// </summary>
public sealed class ResidentCensus(NpgsqlDataSource database)
{
    /// <summary>Living people under their current number, by province of permanent residence.</summary>
    /// <remarks>One sequential scan of <c>registry.resident</c> (about 0.1 s per million rows here): an operator's check, not a request path.</remarks>
    public async Task<IReadOnlyDictionary<string, long>> CountByProvinceAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT permanent_residence_province, count(*)
            FROM registry.resident
            WHERE alive AND superseded_by IS NULL
            GROUP BY permanent_residence_province
            """);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Up to <paramref name="limit"/> living residents of <paramref name="provinceCode"/> with numbers after <paramref name="after"/>, in number order.</summary>
    public async Task<PersonalIdNumber[]> ListLivingResidentsAsync(string provinceCode, PersonalIdNumber? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT personal_id FROM registry.resident
            WHERE permanent_residence_province = $1 AND personal_id > $2 AND alive AND superseded_by IS NULL
            ORDER BY personal_id
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after?.Value ?? "", NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadNumbersAsync(command, limit, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> living, unflagged residents of <paramref name="provinceCode"/> whose last
    /// registration away ended before <paramref name="endedBefore"/>, with numbers after <paramref name="after"/>, in number order.
    /// </summary>
    public async Task<PersonalIdNumber[]> ListAwayBeforeAsync(string provinceCode, DateOnly endedBefore, PersonalIdNumber? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT personal_id FROM registry.resident
            WHERE permanent_residence_province = $1 AND away_registered_until < $2 AND personal_id > $3
              AND away_registered_until IS NOT NULL AND residence_deletion_flagged_on IS NULL AND alive AND superseded_by IS NULL
            ORDER BY personal_id
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = endedBefore });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after?.Value ?? "", NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadNumbersAsync(command, limit, cancellationToken);
    }

    private static async Task<PersonalIdNumber[]> ReadNumbersAsync(NpgsqlCommand command, int limit, CancellationToken cancellationToken)
    {
        var numbers = new List<PersonalIdNumber>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (PersonalIdNumber.TryParse(reader.GetString(0), out var number, out _))
            {
                numbers.Add(number);
            }
        }

        return [.. numbers];
    }
}

