using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Domain.Identity.Cards;

namespace Registry.Database.Cards;

/// <summary>
/// The cards a province owes on a day (issue 12, part 6), read from the read model (migrations 0022 and 0023): the due
/// lists an office works through and the daily sweep's pages. Every list is paged by keyset, so a page costs the same
/// at the millionth row as at the first.
/// </summary>
public sealed class CardsDueLists(NpgsqlDataSource database)
{
    // Living people on their current number, resident in the province, old enough by the window's end, youngest first,
    // so that those turning 14 in the window and just past it lead, ahead of the long overdue; each flagged when they have
    // no card row at all (never applied for: the first card, Law 26/2023 Art. 19, is theirs to apply for). The candidates
    // are a bounded stretch of resident_by_province_birth_date (0023) read backwards from the cursor, and the card check
    // runs on them only: as one anti-join, the planner cannot know that the young are the ones without cards, and it
    // read and sorted the whole province instead (540 ms against 0.8 ms on 1,000,000 people, migration 0023).
    // A card's row names the number its holder applied with, and a correction may have given them a new one since: the
    // check follows superseded_by back from the candidate through every earlier number (resident_by_successor, 0026), so
    // a person renumbered after applying is not listed under the new number; the old row is superseded and never a candidate.
    private const string FirstCardSql =
        """
        WITH candidate AS MATERIALIZED (
            SELECT r.personal_id, r.full_name, r.birth_date
            FROM registry.resident r
            WHERE r.permanent_residence_province = $1 AND r.alive AND r.superseded_by IS NULL
              AND r.birth_date <= $2 AND (r.birth_date, r.personal_id) < ($3, $4)
            ORDER BY r.birth_date DESC, r.personal_id DESC
            LIMIT $5)
        SELECT c.personal_id, c.full_name, c.birth_date,
               NOT EXISTS (
                   WITH RECURSIVE number (personal_id) AS (
                       SELECT c.personal_id
                       UNION ALL
                       SELECT earlier.personal_id FROM registry.resident earlier JOIN number n ON earlier.superseded_by = n.personal_id)
                   SELECT 1 FROM number JOIN registry.identity_card i ON i.personal_id = number.personal_id) AS due
        FROM candidate c
        ORDER BY c.birth_date DESC, c.personal_id DESC
        """;

    // How many residents a first-card page reads per entry it may return: a page is shorter (even empty, with a next
    // position) where most people hold cards, and its cost stays bounded wherever it is.
    private const int CandidatesPerEntry = 4;

    // Issued cards of the province whose last valid day is in [on, on + within], soonest first: identity_card_issued_by_expiry_key (0023).
    private const string ExpiringSql =
        """
        SELECT c.personal_id, r.full_name, r.birth_date, c.document_number, c.expires_on
        FROM registry.identity_card c
        JOIN registry.resident r ON r.personal_id = c.personal_id
        WHERE c.province_code = $1 AND c.state = 'issued' AND c.expires_on <= $2 AND (c.expires_on, c.document_number) > ($3, $4)
        ORDER BY c.expires_on, c.document_number
        LIMIT $5
        """;

    // Cards of the province past their last valid day and still the holder's latest: stored as issued (the sweep has not
    // come yet) or as expired (it has). A renewal or replacement revokes the card it replaces, which leaves both states.
    // Two partial indexes of 0023 merged in order (a Merge Append of two range scans), most overdue first.
    private const string ExpiredSql =
        """
        SELECT c.personal_id, r.full_name, r.birth_date, c.document_number, c.expires_on
        FROM (
            (SELECT personal_id, document_number, expires_on FROM registry.identity_card
             WHERE province_code = $1 AND state = 'issued' AND expires_on <= $2 AND (expires_on, document_number) > ($3, $4)
             ORDER BY expires_on, document_number LIMIT $5)
            UNION ALL
            (SELECT personal_id, document_number, expires_on FROM registry.identity_card
             WHERE province_code = $1 AND state = 'expired' AND expires_on <= $2 AND (expires_on, document_number) > ($3, $4)
             ORDER BY expires_on, document_number LIMIT $5)
        ) c
        JOIN registry.resident r ON r.personal_id = c.personal_id
        ORDER BY c.expires_on, c.document_number
        LIMIT $5
        """;

    // The sweep's page: issued cards of the province whose last valid day is before the sweep's day, after the cursor.
    // identity_card_issued_by_expiry_key (0023): a recorded expiry leaves that index, so the range a sweep reads holds only
    // the day's work and never the expired cards of earlier years.
    private const string ExpiredIssuedSql =
        """
        SELECT document_number, personal_id, expires_on
        FROM registry.identity_card
        WHERE province_code = $1 AND state = 'issued' AND expires_on < $2 AND (expires_on, document_number) > ($3, $4)
        ORDER BY expires_on, document_number
        LIMIT $5
        """;

    /// <summary>
    /// A page of <paramref name="list"/> for <paramref name="provinceCode"/> on <paramref name="on"/> looking
    /// <paramref name="within"/> days ahead, after <paramref name="after"/> (null: from the start): at most
    /// <paramref name="limit"/> entries, and where the next page starts (null after the last).
    /// </summary>
    public async Task<CardDuePage> ListAsync(
        CardDueList list, string provinceCode, DateOnly on, int within, CardDueCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provinceCode);
        var end = on.AddDays(within);
        var (sql, bound, start, read) = list switch
        {
            // Born on or before the bound: 14 by the window's end. The first page starts just past the bound (descending).
            CardDueList.FirstCard => (FirstCardSql, CardsDue.LatestBirthDateAged(CardsDue.CompulsoryAge, end),
                (CardsDue.LatestBirthDateAged(CardsDue.CompulsoryAge, end).AddDays(1), ""), limit * CandidatesPerEntry),
            // Last valid day from the day asked about to the window's end: (on, "") sorts before every card of that day.
            CardDueList.Expiring => (ExpiringSql, end, (on, ""), limit),
            // Expired on the day asked about: the last valid day is before it (CardExpiry.HasExpired).
            CardDueList.Expired => (ExpiredSql, on.AddDays(-1), (DateOnly.MinValue, ""), limit),
            _ => throw new ArgumentOutOfRangeException(nameof(list), list, "Not a due list."),
        };
        var (fromDay, fromKey) = after is null ? start : (after.Day, after.Key);
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = bound });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = fromDay });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fromKey, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = read });
        var due = new List<CardDue>(limit);
        CardDueCursor? last = null;
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (due.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            rows++;
            var birthDate = reader.GetFieldValue<DateOnly>(2);
            if (list == CardDueList.FirstCard)
            {
                last = new CardDueCursor(birthDate, reader.GetString(0));
                if (reader.GetBoolean(3) && PersonalIdNumber.TryParse(reader.GetString(0), out var person, out _))
                {
                    due.Add(new CardDue(person, reader.GetString(1), birthDate, null, null, last));
                }
            }
            else
            {
                last = new CardDueCursor(reader.GetFieldValue<DateOnly>(4), reader.GetString(3));
                if (PersonalIdNumber.TryParse(reader.GetString(0), out var holder, out _))
                {
                    due.Add(new CardDue(holder, reader.GetString(1), birthDate, reader.GetString(3), reader.GetFieldValue<DateOnly>(4), last));
                }
            }
        }

        // Full, or every candidate read: there may be more after the last row read; fewer rows than asked for: the end.
        var more = due.Count == limit || rows == read;
        return new CardDuePage([.. due], more ? last : null);
    }

    /// <summary>
    /// The next <paramref name="limit"/> cards of <paramref name="provinceCode"/> stored as issued whose last valid day is
    /// before <paramref name="day"/>, after <paramref name="after"/> (null: from the start), in (expiry, number) order.
    /// </summary>
    public async Task<ExpiredCard[]> ExpiredIssuedAsync(string provinceCode, DateOnly day, CardDueCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provinceCode);
        await using var command = database.CreateCommand(ExpiredIssuedSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = after?.Day ?? DateOnly.MinValue });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after?.Key ?? "", NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var cards = new List<ExpiredCard>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (DocumentNumber.TryParse(reader.GetString(0), out var number, out _) && PersonalIdNumber.TryParse(reader.GetString(1), out var holder, out _))
            {
                cards.Add(new ExpiredCard(number, holder, reader.GetFieldValue<DateOnly>(2)));
            }
        }

        return [.. cards];
    }
}

/// <summary>A page of a due list.</summary>
/// <param name="Entries">At most the page size; fewer on the first-card list where most of the stretch read holds cards.</param>
/// <param name="Next">Where the next page starts; null after the last.</param>
public sealed record CardDuePage(CardDue[] Entries, CardDueCursor? Next);

/// <summary>One entry of a due list.</summary>
/// <param name="Holder">The person's number.</param>
/// <param name="FullName">Their name.</param>
/// <param name="BirthDate">Their birth date.</param>
/// <param name="DocumentNumber">The card due for renewal or expired; null on the first-card list.</param>
/// <param name="ExpiresOn">Its last valid day; null on the first-card list.</param>
/// <param name="Cursor">Where a page ending here continues.</param>
public sealed record CardDue(PersonalIdNumber Holder, string FullName, DateOnly BirthDate, string? DocumentNumber, DateOnly? ExpiresOn, CardDueCursor Cursor);

/// <summary>A card stored as issued whose last valid day has passed: the sweep records its expiry.</summary>
/// <param name="DocumentNumber">The card.</param>
/// <param name="Holder">Its holder's number as the card's row has it (the holder's citizen grain forwards a renumbered person).</param>
/// <param name="ExpiresOn">Its last valid day.</param>
public sealed record ExpiredCard(DocumentNumber DocumentNumber, PersonalIdNumber Holder, DateOnly ExpiresOn);
