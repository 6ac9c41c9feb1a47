using Npgsql;

namespace Registry.ReadModel.Migration;

/// <summary>
/// Internal migration between provinces over a period, from the province ledger (the relational record of every
/// move, fed from the citizen grains): the origin–destination matrix, and each province's inbound, outbound and net.
/// Moves within a province change no province and are not counted; reorganisations are not moves.
/// </summary>
public sealed class MigrationStatistics(NpgsqlDataSource database)
{
    // A move is a departure joined to its arrival: "relocation:{number}:{key}:departure" and ":arrival".
    private const string MatrixSql =
        """
        SELECT departure.province_code, arrival.province_code, count(*)
        FROM registry.province_resident_change AS departure
        JOIN registry.province_resident_change AS arrival
          ON arrival.operation_id = left(departure.operation_id, -length('departure')) || 'arrival'
        WHERE departure.reason = 'departure' AND departure.recorded_at >= $1 AND departure.recorded_at < $2
        GROUP BY 1, 2
        ORDER BY 1, 2
        """;

    /// <summary>The moves recorded in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<MigrationMatrix> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(MatrixSql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime() });
        var flows = new List<MigrationFlow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                flows.Add(new MigrationFlow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        var provinces = flows.Select(static flow => flow.From).Concat(flows.Select(static flow => flow.To)).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(code => new ProvinceMigration(
                code,
                flows.Where(flow => flow.To == code).Sum(static flow => flow.Moves),
                flows.Where(flow => flow.From == code).Sum(static flow => flow.Moves)))
            .ToArray();
        return new MigrationMatrix(from, to, flows.Sum(static flow => flow.Moves), [.. flows], provinces);
    }
}

/// <summary>The moves of a period.</summary>
/// <param name="From">Start of the period, included.</param>
/// <param name="To">End of the period, excluded.</param>
/// <param name="Moves">Moves between provinces in it.</param>
/// <param name="Matrix">Moves by origin and destination, each pair that had any.</param>
/// <param name="Provinces">Each province that had any: inbound, outbound and net.</param>
public sealed record MigrationMatrix(DateTimeOffset From, DateTimeOffset To, long Moves, MigrationFlow[] Matrix, ProvinceMigration[] Provinces);

/// <summary>Moves from one province to another.</summary>
public sealed record MigrationFlow(string From, string To, long Moves);

/// <summary>A province's moves in and out.</summary>
public sealed record ProvinceMigration(string Code, long Inbound, long Outbound)
{
    /// <summary>Inbound minus outbound.</summary>
    public long Net => Inbound - Outbound;
}
