using Npgsql;

namespace Registry.Database.Audit;

/// <summary>
/// A person's access log, read from the audit log (GET /me/access-log), and the releases of covert investigations'
/// entries (POST /audit/releases). Which entries a person sees is <c>CovertDisclosure</c>'s rule in the domain; the
/// query applies it with the bounds that rule gives.
/// </summary>
public sealed class AccessLog(NpgsqlDataSource database)
{
    /// <summary>Most entries in one page.</summary>
    public const int MaxLimit = 200;

    // The GIN index finds the person's rows; they are sorted here (a person has a few hundred a year at most).
    // Covert entries ($2) show once accessed at or before $3 (the hiding period has passed) or released by $4, the
    // release naming their note and made after them. Only allowed requests: refused ones read nothing.
    private const string PageSql =
        """
        SELECT e.chain_id, e.position, e.accessed_at, e.actor_id, e.actor_role, e.actor_province, e.purpose, e.purpose_note,
               e.endpoint, e.fields
        FROM registry.audit_entry e
        WHERE e.person_numbers @> ARRAY[$1]::char(12)[]
          AND e.outcome = 'allowed'
          AND (e.purpose IS NULL OR e.purpose <> ALL ($2)
               OR e.accessed_at <= $3
               OR EXISTS (SELECT 1 FROM registry.audit_release r
                          WHERE r.purpose_note = e.purpose_note AND r.released_at >= e.accessed_at AND r.released_at <= $4))
          AND ($5::timestamptz IS NULL OR (e.accessed_at, e.chain_id, e.position) < ($5, $6, $7))
        ORDER BY e.accessed_at DESC, e.chain_id DESC, e.position DESC
        LIMIT $8
        """;

    private const string ReleaseSql =
        """
        INSERT INTO registry.audit_release (purpose_note, released_at, released_by) VALUES ($1, $2, $3) RETURNING release_id
        """;

    /// <summary>
    /// The entries naming <paramref name="personalIdNumber"/>, newest first, after <paramref name="before"/> (the last
    /// entry of the previous page), <paramref name="limit"/> at most.
    /// </summary>
    /// <param name="personalIdNumber">The person.</param>
    /// <param name="covertPurposes">The codes of covert purposes.</param>
    /// <param name="shownWithoutReleaseUpTo">Covert entries accessed at or before this instant are shown.</param>
    /// <param name="now">Releases made after this instant do not count yet.</param>
    /// <param name="before">Where the previous page ended, or null for the first page.</param>
    /// <param name="limit">1 to <see cref="MaxLimit"/>.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    public async Task<IReadOnlyList<AccessLogEntry>> ReadAsync(
        string personalIdNumber,
        IReadOnlyCollection<string> covertPurposes,
        DateTimeOffset shownWithoutReleaseUpTo,
        DateTimeOffset now,
        AccessLogCursor? before,
        int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var command = database.CreateCommand(PageSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personalIdNumber });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. covertPurposes] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = shownWithoutReleaseUpTo.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)before?.AccessedAt.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = before?.ChainId ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before?.Position ?? 0 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var entries = new List<AccessLogEntry>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AccessLogEntry(
                new AccessLogCursor(reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(0), reader.GetInt64(1)),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8),
                reader.GetFieldValue<string[]>(9)));
        }

        return entries;
    }

    /// <summary>Records that <paramref name="releasedBy"/> released, at <paramref name="releasedAt"/>, the covert entries stated with <paramref name="purposeNote"/>.</summary>
    /// <returns>The release's number.</returns>
    public async Task<long> ReleaseAsync(string purposeNote, DateTimeOffset releasedAt, string releasedBy, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(ReleaseSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = purposeNote });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = AuditRecord.ToStoredPrecision(releasedAt) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = releasedBy });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>Where an entry sits in a person's log, newest first: the page after it starts below it.</summary>
/// <param name="AccessedAt">The entry's time.</param>
/// <param name="ChainId">Its chain.</param>
/// <param name="Position">Its position in the chain.</param>
public sealed record AccessLogCursor(DateTimeOffset AccessedAt, string ChainId, long Position);

/// <summary>One access to a person's data, as their log reads it.</summary>
/// <param name="Cursor">Its place in the log.</param>
/// <param name="ActorId">Who: the institution's or official's id.</param>
/// <param name="ActorRole">Their role's wire name.</param>
/// <param name="ActorProvince">A provincial officer's province.</param>
/// <param name="Purpose">The stated purpose's code.</param>
/// <param name="PurposeNote">The stated purpose's note.</param>
/// <param name="Endpoint">Method and route pattern.</param>
/// <param name="Fields">The fields read or changed.</param>
public sealed record AccessLogEntry(
    AccessLogCursor Cursor,
    string ActorId,
    string? ActorRole,
    string? ActorProvince,
    string? Purpose,
    string? PurposeNote,
    string Endpoint,
    IReadOnlyList<string> Fields);
