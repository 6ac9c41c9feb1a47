using Npgsql;
using Registry.Contracts.Events;
using Registry.Domain.Access;

namespace Registry.Database.Events;

/// <summary>
/// The events of the province ledger and of identity cards after a position, oldest first (the publisher's source, and the replay a
/// subscriber reads to catch up from the position of the last event it has): births and deaths as they are, relocations and
/// reorganisations from their leaving row joined to their entering row by the move id both carry, which is the event's id.
/// </summary>
public sealed class EventFeed(NpgsqlDataSource database)
{
    // Rows younger than this are left for the next read: a row with a lower sequence may still be committing, and a
    // relocation's arrival row may still be on its way. Ledger inserts are single short statements; a second is ample.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    // Card events (migration 0022) take their sequence from the ledger's, so both tables are read by one position: each
    // branch reads its first rows after it in order, and the union keeps the first of both.
    private const string ReadSql =
        """
        (SELECT leaving.sequence, COALESCE(leaving.move_id, leaving.operation_id), leaving.reason, leaving.personal_id,
               leaving.province_code, entering.province_code, leaving.recorded_at, NULL::char(9)
        FROM registry.province_resident_change AS leaving
        LEFT JOIN LATERAL (
            SELECT candidate.province_code
            FROM registry.province_resident_change AS candidate
            WHERE leaving.reason IN ('departure', 'reorganisation')
              AND candidate.move_id = leaving.move_id AND candidate.change = 1
            LIMIT 1) AS entering ON true
        WHERE leaving.sequence > $1 AND leaving.recorded_at < now() - $2::interval
          AND (leaving.reason IN ('birth', 'death', 'departure') OR (leaving.reason = 'reorganisation' AND leaving.change = -1))
          AND ($4::char(3) IS NULL OR leaving.province_code = $4 OR entering.province_code = $4
               -- A move whose entering row is not there yet may be into the province: kept, so that the loop below
               -- stops on it and reads it again, rather than the reader's position passing it for good.
               OR (leaving.reason IN ('departure', 'reorganisation') AND entering.province_code IS NULL))
          AND leaving.reason = ANY($5)
        ORDER BY leaving.sequence
        LIMIT $3)
        UNION ALL
        (SELECT card.sequence, card.event_id, card.kind, card.personal_id, card.province_code, NULL, card.recorded_at, card.document_number
        FROM registry.identity_card_event AS card
        WHERE card.sequence > $1 AND card.recorded_at < now() - $2::interval
          AND ($4::char(3) IS NULL OR card.province_code = $4) AND card.kind = ANY($5)
        ORDER BY card.sequence
        LIMIT $3)
        ORDER BY 1
        LIMIT $3
        """;

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, with the position of the last row read.</summary>
    public Task<(RegistryEvent[] Events, long Position)> ReadAsync(long after, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(after, limit, province: null, kinds: null, cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> events after <paramref name="after"/>, with the position of the last row read:
    /// only those that happened in <paramref name="province"/> (a birth or death there, a move out of or into it) when
    /// it is given (an officer's feed), and only those of <paramref name="kinds"/> when given (a partner's policy). Both
    /// are conditions of the statement, so a page holds what the reader may see, not a filtered few, and never comes
    /// back empty while leaving the reader where it was.
    /// </summary>
    public async Task<(RegistryEvent[] Events, long Position)> ReadAsync(
        long after, int limit, string? province, IReadOnlyCollection<RegistryEventKind>? kinds, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = Settle });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)province ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. (kinds ?? Enum.GetValues<RegistryEventKind>()).Select(LedgerReason)] });
        var events = new List<RegistryEvent>();
        var position = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = reader.GetString(2) switch
            {
                "birth" => RegistryEventKind.Birth,
                "death" => RegistryEventKind.Death,
                "departure" => RegistryEventKind.Relocation,
                "reorganisation" => RegistryEventKind.Reorganisation,
                var card => PartnerPolicies.EventKindNames[card],
            };
            var to = reader.IsDBNull(5) ? null : reader.GetString(5);
            if (kind is RegistryEventKind.Relocation or RegistryEventKind.Reorganisation && to is null)
            {
                // Its entering row is not there yet: stop here and read it again next time, in order.
                break;
            }

            // A move's id, or a birth's or death's operation id.
            var eventId = reader.GetString(1);
            position = reader.GetInt64(0);
            events.Add(new RegistryEvent(eventId, kind, reader.GetString(3), reader.GetString(4), to, reader.GetFieldValue<DateTimeOffset>(6))
            {
                Position = position, DocumentNumber = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return ([.. events], position);
    }

    // The ledger row an event of a kind is read from: a relocation from its departure.
    private static string LedgerReason(RegistryEventKind kind) => kind switch
    {
        RegistryEventKind.Birth => "birth",
        RegistryEventKind.Death => "death",
        RegistryEventKind.Relocation => "departure",
        RegistryEventKind.Reorganisation => "reorganisation",
        // A card's event is stored under its wire name (migration 0022).
        RegistryEventKind.CardIssued or RegistryEventKind.CardReportedLost or RegistryEventKind.CardRevoked or RegistryEventKind.CardExpired => PartnerPolicies.NameOf(kind),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of event."),
    };
}
