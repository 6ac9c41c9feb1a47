using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Registry.Database.Writing;

namespace Registry.Database.Residents;

/// <summary>
/// Writes citizen grain snapshots into <c>registry.resident</c>, at least once and deduplicated by event id
/// (personal ID number, version): a row is only ever replaced by a higher version, so a repeated or late snapshot
/// changes nothing. The history entries a change adds go into <c>registry.resident_history</c> in the same batch
/// (<see cref="ResidentHistory"/>): one round trip and one commit for both. One per silo.
/// </summary>
/// <remarks>
/// Written with <see cref="GroupCommit{TItem, TResult}"/>: snapshots that arrive while a batch is being written go
/// together into the next single transaction, and each caller's task completes when the transaction holding its
/// snapshot has committed, or faults with that transaction's exception.
/// </remarks>
public sealed partial class ResidentProjection : IAsyncDisposable
{
    /// <summary>
    /// Most snapshots written in one transaction. Bounds the statement's size and how long its row locks are held;
    /// well above what the queue holds at a few hundred concurrent callers, so it rarely splits a batch.
    /// </summary>
    public const int MaxBatchSize = 256;

    // One statement is one transaction: no BEGIN/COMMIT round trips. The batch arrives as one array per column
    // and unnest turns them back into rows. Measured against binary COPY into a temporary table followed by
    // INSERT ... SELECT (BEGIN, COPY, INSERT, COMMIT) on PostgreSQL 15 (fsync on, 2 cores, 1,000,000 rows in the
    // table): a batch of 1, 32 and 256 snapshots took 0.57, 1.0 and 3.9 ms with unnest against 2.0, 2.3 and 5.0 ms
    // with COPY; behind a loop like this one with 32 concurrent callers, unnest committed 23,200 snapshots/s and
    // COPY 8,000/s. They draw level only at batches of about 2,000 (30 ms each), which group commit with a few
    // hundred callers never forms.
    // ON CONFLICT ... WHERE makes the event id the guard: the existing row wins unless the snapshot is newer.
    // The rows are sorted by personal ID number, so two silos writing overlapping batches (a grain that moved
    // between them) lock rows in the same order and cannot deadlock.
    private const string UpsertSql =
        """
        INSERT INTO registry.resident AS current
            (personal_id, version, full_name, name_key, birth_date, sex, birth_registration_province,
             permanent_residence_province, nationality, alive, death_date, superseded_by, changed_at,
             permanent_residence_commune, away_registered_until, residence_deletion_flagged_on,
             temporary_residence_province, temporary_residence_until)
        SELECT * FROM unnest($1::char(12)[], $2::bigint[], $3::varchar(200)[], $4::text[], $5::date[], $6::smallint[],
                             $7::char(3)[], $8::char(3)[], $9::smallint[], $10::boolean[], $11::date[], $12::char(12)[],
                             $13::timestamptz[], $14::char(5)[], $15::date[], $16::date[], $17::char(3)[], $18::date[])
        ON CONFLICT (personal_id) DO UPDATE SET
            version = EXCLUDED.version,
            full_name = EXCLUDED.full_name,
            name_key = EXCLUDED.name_key,
            birth_date = EXCLUDED.birth_date,
            sex = EXCLUDED.sex,
            birth_registration_province = EXCLUDED.birth_registration_province,
            permanent_residence_province = EXCLUDED.permanent_residence_province,
            nationality = EXCLUDED.nationality,
            alive = EXCLUDED.alive,
            death_date = EXCLUDED.death_date,
            superseded_by = EXCLUDED.superseded_by,
            changed_at = EXCLUDED.changed_at,
            permanent_residence_commune = EXCLUDED.permanent_residence_commune,
            away_registered_until = EXCLUDED.away_registered_until,
            residence_deletion_flagged_on = EXCLUDED.residence_deletion_flagged_on,
            temporary_residence_province = EXCLUDED.temporary_residence_province,
            temporary_residence_until = EXCLUDED.temporary_residence_until,
            projected_at = now()
        WHERE current.version < EXCLUDED.version
        """;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommit<ProjectedChange, bool> _writer;

    /// <summary>Starts the writer.</summary>
    /// <param name="database">The registry's database.</param>
    /// <param name="logger">Where failed batches are reported.</param>
    public ResidentProjection(NpgsqlDataSource database, ILogger<ResidentProjection> logger)
    {
        _database = database;
        _writer = new GroupCommit<ProjectedChange, bool>(WriteBatchAsync, MaxBatchSize, (count, exception) => LogBatchFailed(logger, count, exception));
    }

    /// <summary>What the projection has done since it started, for diagnostics and load tests.</summary>
    public ResidentProjectionStatistics Statistics
    {
        get
        {
            var statistics = _writer.Statistics;
            return new(statistics.Items, statistics.Batches, statistics.FailedBatches, statistics.LargestBatch);
        }
    }

    /// <summary>
    /// Writes <paramref name="snapshot"/> unless the row already holds this version or a newer one, with the history
    /// entries it carries (<see cref="ResidentSnapshot.History"/>), and completes when that is committed. Safe to repeat:
    /// at-least-once delivery is the intended use.
    /// </summary>
    /// <param name="snapshot">The person after a change.</param>
    /// <param name="cancellationToken">Stops waiting; the snapshot may still be written, which repeating makes harmless.</param>
    /// <exception cref="ArgumentException">The snapshot cannot be a row (checked here, so it never fails a shared batch).</exception>
    /// <exception cref="NpgsqlException">The batch's transaction failed; nothing of it was written.</exception>
    /// <exception cref="ObjectDisposedException">The projection is stopping.</exception>
    public Task ProjectAsync(ResidentSnapshot snapshot, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(new ProjectedChange(ResidentRow.From(snapshot), ResidentHistory.Rows(snapshot.History)), cancellationToken);

    /// <summary>
    /// Writes history entries of a change that owes the read model nothing (a step of the person's cards), in the next
    /// batch, and completes when that is committed. Entries already written are left as they are.
    /// </summary>
    /// <exception cref="ArgumentException">An entry cannot be a row.</exception>
    public Task WriteHistoryAsync(IEnumerable<ResidentHistoryEntry> entries, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(new ProjectedChange(null, ResidentHistory.Rows(entries)), cancellationToken);

    /// <summary>Stops accepting snapshots, writes those already accepted, and ends the loop.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    // The snapshots' upsert and the history's insert are one batch: one round trip, and one implicit transaction.
    private async Task<bool[]> WriteBatchAsync(IReadOnlyList<ProjectedChange> batch)
    {
        await using var statements = _database.CreateBatch();
        var rows = NewestPerPerson([.. batch.Select(static change => change.Row).OfType<ResidentRow>()]);
        if (rows.Count > 0)
        {
            statements.BatchCommands.Add(Upsert(rows));
        }

        if (batch.Any(static change => change.History.Length > 0))
        {
            statements.BatchCommands.Add(ResidentHistory.InsertRows(batch.SelectMany(static change => change.History)));
        }

        await statements.ExecuteNonQueryAsync();
        return new bool[batch.Count];
    }

    /// <summary>
    /// One row per person, the highest version: PostgreSQL refuses to update one row twice in one
    /// INSERT ... ON CONFLICT, and the lower versions would lose to it anyway. Sorted by number (see
    /// <see cref="UpsertSql"/>).
    /// </summary>
    private static List<ResidentRow> NewestPerPerson(IReadOnlyList<ResidentRow> batch) =>
        [.. batch
            .GroupBy(static row => row.PersonalId, StringComparer.Ordinal)
            .Select(static group => group.MaxBy(static row => row.Version)!)
            .OrderBy(static row => row.PersonalId, StringComparer.Ordinal)];

    private static NpgsqlBatchCommand Upsert(List<ResidentRow> rows)
    {
        var command = new NpgsqlBatchCommand(UpsertSql);
        var parameters = command.Parameters;
        parameters.Add(Array(rows, static row => row.PersonalId, NpgsqlDbType.Char));
        parameters.Add(Array(rows, static row => row.Version, NpgsqlDbType.Bigint));
        parameters.Add(Array(rows, static row => row.FullName, NpgsqlDbType.Varchar));
        parameters.Add(Array(rows, static row => row.NameKey, NpgsqlDbType.Text));
        parameters.Add(Array(rows, static row => row.BirthDate, NpgsqlDbType.Date));
        parameters.Add(Array(rows, static row => row.Sex, NpgsqlDbType.Smallint));
        parameters.Add(Array(rows, static row => row.BirthRegistrationProvince, NpgsqlDbType.Char));
        parameters.Add(Array(rows, static row => row.PermanentResidenceProvince, NpgsqlDbType.Char));
        parameters.Add(Array(rows, static row => row.Nationality, NpgsqlDbType.Smallint));
        parameters.Add(Array(rows, static row => row.Alive, NpgsqlDbType.Boolean));
        parameters.Add(Array(rows, static row => row.DeathDate, NpgsqlDbType.Date));
        parameters.Add(Array(rows, static row => row.SupersededBy, NpgsqlDbType.Char));
        parameters.Add(Array(rows, static row => row.ChangedAt, NpgsqlDbType.TimestampTz));
        parameters.Add(Array(rows, static row => row.PermanentResidenceCommune, NpgsqlDbType.Char));
        parameters.Add(Array(rows, static row => row.AwayRegisteredUntil, NpgsqlDbType.Date));
        parameters.Add(Array(rows, static row => row.ResidenceDeletionFlaggedOn, NpgsqlDbType.Date));
        parameters.Add(Array(rows, static row => row.TemporaryResidenceProvince, NpgsqlDbType.Char));
        parameters.Add(Array(rows, static row => row.TemporaryResidenceUntil, NpgsqlDbType.Date));
        return command;
    }

    private static NpgsqlParameter<T[]> Array<T>(List<ResidentRow> rows, Func<ResidentRow, T> column, NpgsqlDbType elementType) =>
        new() { TypedValue = [.. rows.Select(column)], NpgsqlDbType = NpgsqlDbType.Array | elementType };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting {Count} resident snapshot(s) failed; their callers will retry")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}

/// <summary>What one caller of <see cref="ResidentProjection"/> writes: a snapshot's row, or none, and the history entries it adds.</summary>
internal sealed record ProjectedChange(ResidentRow? Row, HistoryRow[] History);

/// <summary>Counters of a <see cref="ResidentProjection"/> since it started.</summary>
/// <param name="Snapshots">Snapshots acknowledged as committed (including those a newer one in the same batch made redundant).</param>
/// <param name="Transactions">Batches committed, one transaction each.</param>
/// <param name="FailedTransactions">Batches whose transaction failed; their callers got the exception.</param>
/// <param name="LargestBatch">Most snapshots committed in one transaction.</param>
public readonly record struct ResidentProjectionStatistics(long Snapshots, long Transactions, long FailedTransactions, int LargestBatch);
