using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Cards;
using Registry.Contracts.Events;
using Registry.Domain.Access;
using Registry.Domain.Identity.Cards;

namespace Registry.Database.Cards;

/// <summary>
/// The read model of identity cards (migration 0022): one row per card in <c>registry.identity_card</c>, written by the
/// card's grain after each step, and the card's events in <c>registry.identity_card_event</c>, which the event feed
/// and the revocation list read by position.
/// </summary>
public sealed class CardRegister(NpgsqlDataSource database)
{
    // Rows younger than this are left for the next read, as in the event feed: a row with a lower position may still be
    // committing, and a reader that passed it would never see it.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    // One statement: the card's row, replaced only by a later version (its step count), and every event its steps owe,
    // each once by its id. A projection repeated after a failure writes the events it missed and leaves the others.
    private const string ProjectSql =
        """
        WITH card AS (
            INSERT INTO registry.identity_card AS current
                (document_number, personal_id, province_code, state, reason, applied_on, issued_on, expires_on, version, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
            ON CONFLICT (document_number) DO UPDATE SET
                state = EXCLUDED.state, issued_on = EXCLUDED.issued_on, expires_on = EXCLUDED.expires_on,
                version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
            WHERE current.version < EXCLUDED.version)
        INSERT INTO registry.identity_card_event (event_id, document_number, personal_id, province_code, kind, recorded_at)
        SELECT event.id, $1, $2, $3, event.kind, event.at
        FROM unnest($10::varchar(200)[], $11::varchar(16)[], $12::timestamptz[]) AS event(id, kind, at)
        ORDER BY event.id
        ON CONFLICT (event_id) DO NOTHING
        """;

    private const string RevocationsSql =
        """
        SELECT sequence, document_number, kind, recorded_at
        FROM registry.identity_card_event
        WHERE kind IN ('cardRevoked', 'cardReportedLost') AND sequence > $1 AND recorded_at < now() - $2::interval
        ORDER BY sequence
        LIMIT $3
        """;

    // A QR code names its holder and issue day, not its card: identity_card_by_person finds the person's few cards.
    private const string IssuedOnSql =
        """
        SELECT document_number
        FROM registry.identity_card
        WHERE personal_id = $1 AND issued_on = $2
        ORDER BY version DESC, document_number
        """;

    /// <summary>Writes <paramref name="card"/>'s row and the events of its steps; repeating it changes nothing.</summary>
    public async Task ProjectAsync(IdentityCard card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var events = card.Steps.Select((step, index) => (Step: step, Id: $"card:{card.DocumentNumber}:{index + 1}", Kind: EventOf(step.Kind)))
            .Where(candidate => candidate.Kind is not null)
            .ToArray();
        await using var command = database.CreateCommand(ProjectSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card.DocumentNumber.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card.Holder.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card.ProvinceCode });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CardLifecycle.NameOf(card.State) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CardApplications.NameOf(card.Reason) });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = card.AppliedOn });
        command.Parameters.Add(new NpgsqlParameter { Value = card.IssuedOn is { } issued ? issued : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = card.ExpiresOn is { } expires ? expires : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = card.Steps.Count });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(static e => e.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(static e => PartnerPolicies.NameOf(e.Kind!.Value))] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. events.Select(static e => e.Step.At.ToUniversalTime())] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> cards revoked or reported lost after position <paramref name="after"/>, oldest first:
    /// the revocation list a partner keeps offline and tops up from the position of the last entry it holds.
    /// </summary>
    public async Task<CardRevocation[]> ReadRevocationsAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(RevocationsSql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = Settle });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var revocations = new List<CardRevocation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            revocations.Add(new CardRevocation(reader.GetInt64(0), reader.GetString(1), PartnerPolicies.EventKindNames[reader.GetString(2)],
                reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return [.. revocations];
    }

    /// <summary>
    /// The document numbers of the cards issued to <paramref name="holder"/> (the number they held when they applied) on
    /// <paramref name="issuedOn"/>: the cards a QR code with those fields can be. Usually one; none for a card not issued.
    /// </summary>
    public async Task<string[]> ReadIssuedOnAsync(string holder, DateOnly issuedOn, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(IssuedOnSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = holder });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = issuedOn });
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(reader.GetString(0));
        }

        return [.. numbers];
    }

    // The steps that are events of the registry's stream; an application or a production is not news to anybody outside.
    private static RegistryEventKind? EventOf(CardStepKind step) => step switch
    {
        CardStepKind.Issue => RegistryEventKind.CardIssued,
        CardStepKind.LossReport => RegistryEventKind.CardReportedLost,
        CardStepKind.Revocation => RegistryEventKind.CardRevoked,
        CardStepKind.Expiry => RegistryEventKind.CardExpired,
        _ => null,
    };
}

/// <summary>One entry of the revocation list.</summary>
/// <param name="Position">Its position: the next read asks for entries after the last one held.</param>
/// <param name="DocumentNumber">The card.</param>
/// <param name="Kind">Revoked or reported lost.</param>
/// <param name="RecordedAt">When.</param>
public sealed record CardRevocation(long Position, string DocumentNumber, RegistryEventKind Kind, DateTimeOffset RecordedAt);
