using System.Text;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Provinces;

namespace Registry.Database.Statistics;

/// <summary>
/// Migration between provinces in a period, read from the province ledger (<c>registry.province_resident_change</c>):
/// the origin-destination matrix of relocations and each province's inbound, outbound and net.
/// </summary>
/// <remarks>
/// <para>
/// A relocation between provinces is two ledger rows that the citizen grain owes as one intent and the provinces write
/// deduplicated by operation id: <c>relocation:{number}:{key}:departure</c> in the province left and
/// <c>relocation:{number}:{key}:arrival</c> in the province entered, both with the move id <c>relocation:{number}:{key}</c>.
/// A move here is a departure joined to the arrival of the same move id, so a repeated request or a finished-again
/// intent is one move. A move within a province writes
/// no ledger row and is not counted: these are statistics of migration between provinces.
/// </para>
/// <para>
/// A move belongs to the period in which its departure was recorded (<c>recorded_at</c>, when the registry counted it),
/// not to the <c>movedOn</c> date the caller declared. A move whose arrival is not written yet (in flight, or left by a
/// crash until the citizen grain finishes it) is counted once the arrival is there, in its departure's period.
/// </para>
/// </remarks>
public sealed class MigrationStatistics(NpgsqlDataSource database)
{
    /// <summary>Longest period one request reads, in days: a leap year. Bounds the query, which costs one index probe per move.</summary>
    public const int MaxPeriodDays = 366;

    /// <summary><see cref="MaxPeriodDays"/> as a duration.</summary>
    public static TimeSpan MaxPeriod { get; } = TimeSpan.FromDays(MaxPeriodDays);

    /// <summary>The moves between provinces recorded in [<paramref name="from"/>, <paramref name="to"/>), every province.</summary>
    /// <exception cref="ArgumentException">The period is empty, reversed or longer than <see cref="MaxPeriod"/>.</exception>
    public Task<MigrationMatrix> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadAsync(from, to, null, cancellationToken);

    /// <summary>
    /// The moves between provinces recorded in [<paramref name="from"/>, <paramref name="to"/>); with a
    /// <paramref name="province"/>, only the moves out of or into it, and only its own inbound, outbound and net.
    /// </summary>
    /// <exception cref="ArgumentException">The period is empty, reversed or longer than <see cref="MaxPeriod"/>, or the province is not one of the 63 codes.</exception>
    public async Task<MigrationMatrix> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? province, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The period ends ({to:O}) before or when it starts ({from:O}).", nameof(to));
        }

        if (to - from > MaxPeriod)
        {
            throw new ArgumentException($"The period is longer than {MaxPeriodDays} days.", nameof(to));
        }

        if (province is not null && !ProvinceCatalog.IsKnown(province))
        {
            throw new ArgumentException($"'{province}' is not one of the 63 province codes.", nameof(province));
        }

        await using var command = database.CreateCommand();
        // The departures of the period come from province_resident_change_departing_moves (index-only, migration 0016);
        // each one's arrival is found through province_resident_change_entering_moves by its move id. The arrival is looked
        // up in a LATERAL subquery with LIMIT 1 (a move has one arrival, so the limit changes no answer) because that keeps
        // the plan a probe per departure: as a plain join the planner prefers hashing every arrival ever recorded, which
        // grows with the whole ledger, not the period.
        var sql = new StringBuilder(
            """
            SELECT departure.province_code, arrival.province_code, count(*)
            FROM registry.province_resident_change AS departure
            CROSS JOIN LATERAL (
                SELECT candidate.province_code
                FROM registry.province_resident_change AS candidate
                WHERE candidate.move_id = departure.move_id AND candidate.change = 1
                LIMIT 1) AS arrival
            WHERE departure.reason = 'departure'
              AND departure.recorded_at >= $1 AND departure.recorded_at < $2
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (province is not null)
        {
            // Filtered after the probes: the period's departures are read either way, and the probes are the cost.
            sql.Append("\n  AND (departure.province_code = $3::char(3) OR arrival.province_code = $3::char(3))");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = province });
        }

        sql.Append("\nGROUP BY departure.province_code, arrival.province_code");
        command.CommandText = sql.ToString();

        var flows = new List<MigrationFlow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                flows.Add(new MigrationFlow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        return MigrationMatrix.Of(from, to, province, flows);
    }
}

/// <summary>Moves from one province to another in a period.</summary>
/// <param name="From">The province left (3-digit code).</param>
/// <param name="To">The province entered; never the same as <paramref name="From"/>.</param>
/// <param name="Moves">How many people moved so.</param>
public sealed record MigrationFlow(string From, string To, long Moves);

/// <summary>A province's migration in a period.</summary>
/// <param name="Code">The province (3-digit code).</param>
/// <param name="Inbound">Moves into it.</param>
/// <param name="Outbound">Moves out of it.</param>
public sealed record ProvinceMigration(string Code, long Inbound, long Outbound)
{
    /// <summary>Inbound minus outbound: what migration added to its residents.</summary>
    public long Net => Inbound - Outbound;
}

/// <summary>The origin-destination matrix of a period and each province's totals.</summary>
/// <param name="From">The start of the period, included.</param>
/// <param name="To">The end of the period, excluded.</param>
/// <param name="Province">The province the moves were filtered by, or null for all.</param>
/// <param name="TotalMoves">Moves in <paramref name="Flows"/>, all pairs.</param>
/// <param name="Flows">Each pair of provinces with at least one move, by origin then destination code.</param>
/// <param name="Provinces">
/// Each province with at least one move in or out, by code; with a <paramref name="Province"/> filter only that one,
/// listed even when nothing moved.
/// </param>
public sealed record MigrationMatrix(
    DateTimeOffset From, DateTimeOffset To, string? Province, long TotalMoves, IReadOnlyList<MigrationFlow> Flows, IReadOnlyList<ProvinceMigration> Provinces)
{
    /// <summary>
    /// The matrix of <paramref name="flows"/> (pairs in any order, each at most once): ordered, totalled and summed up
    /// by province. Pure.
    /// </summary>
    public static MigrationMatrix Of(DateTimeOffset from, DateTimeOffset to, string? province, IEnumerable<MigrationFlow> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var ordered = flows
            .OrderBy(flow => flow.From, StringComparer.Ordinal)
            .ThenBy(flow => flow.To, StringComparer.Ordinal)
            .ToArray();
        var inbound = ordered.GroupBy(flow => flow.To, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Sum(flow => flow.Moves), StringComparer.Ordinal);
        var outbound = ordered.GroupBy(flow => flow.From, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Sum(flow => flow.Moves), StringComparer.Ordinal);
        // A filtered matrix also lists the partners of the province, but their totals would count only their moves with
        // it, which reads as their whole migration; so only the province asked about gets a row.
        IEnumerable<string> codes = province is not null ? [province] : inbound.Keys.Union(outbound.Keys, StringComparer.Ordinal);
        var provinces = codes
            .Order(StringComparer.Ordinal)
            .Select(code => new ProvinceMigration(code, inbound.GetValueOrDefault(code), outbound.GetValueOrDefault(code)))
            .ToArray();
        return new MigrationMatrix(from, to, province, ordered.Sum(flow => flow.Moves), ordered, provinces);
    }
}
