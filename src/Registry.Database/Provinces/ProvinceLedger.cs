using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Writing;

namespace Registry.Database.Provinces;

/// <summary>
/// The durable side of province counters: table <c>registry.province_resident_change</c>, one row per change, keyed by
/// operation id. Inserting is how a change becomes durable and how a repeated one is recognised. One per silo: the
/// changes of every counter shard on the silo are written together (group commit), so a relocation's two rows cost a
/// share of one commit rather than two.
/// </summary>
/// <remarks>
/// <para>
/// A shard activates from its checkpoint plus the rows after it (migration 0027), so its cost does not grow with the
/// ledger. Every row carries the id of the transaction that inserted it (<c>transaction_id</c>, set by the column's
/// default). A checkpoint with bound X holds the sums of exactly the shard's rows with an id below X; an activation adds
/// exactly those at or above X. Each row has one id, so it falls in exactly one of the two: it is never counted twice.
/// It is never lost either: X is the xmin of the snapshot in which the checkpoint's sums were read, so every transaction
/// with a smaller id had ended by then, its rows committed and summed or rolled back and never there, and every
/// transaction that was running or began later has an id of X or more, so its rows, whenever they commit, are in the tail.
/// Commit order, group commit (one transaction, one id, for a batch of many shards' rows) and the sequence's gaps
/// therefore do not matter.
/// </para>
/// <para>
/// The cases that break a position a grain keeps: a retried operation inserts no row (ON CONFLICT DO NOTHING), so there
/// is nothing to count again; its first row is counted wherever it fell. A dead silo's batch in flight either commits,
/// with an id at or above any bound taken while it ran, or rolls back and leaves no row. Two activations of one shard
/// (a failover, a duplicate activation) may both write checkpoints: a checkpoint is computed by PostgreSQL from the
/// previous one and the committed rows between the two bounds, never from a grain's memory, and its writers take the
/// checkpoint row's lock first, so each advances from the bound the previous one committed. What an activation counted
/// in memory cannot make a checkpoint wrong; a row committed after an activation read its tail (another activation's,
/// or a dead silo's late commit) is missing from that activation's memory only until the shard activates again, as it
/// was before checkpoints.
/// </para>
/// <para>
/// The bound advances as far as the oldest write transaction still running allows: a long one (not a long read, which
/// has no transaction id) keeps checkpoints from covering rows after it, so the tail grows until it ends.
/// </para>
/// </remarks>
public sealed partial class ProvinceLedger : IAsyncDisposable
{
    /// <summary>Most changes in one statement.</summary>
    public const int MaxBatchSize = 512;

    // One statement, one transaction; ON CONFLICT DO NOTHING leaves a repeated operation id alone, and RETURNING names
    // the rows this statement inserted. The rows go in operation-id order so that two silos' batches take the unique
    // index's locks in the same order.
    private const string InsertSql =
        """
        INSERT INTO registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason, move_id)
        SELECT * FROM unnest($1::varchar(200)[], $2::char(3)[], $3::smallint[], $4::char(12)[], $5::smallint[], $6::varchar(32)[], $7::varchar(200)[]) AS batch
        ORDER BY 1
        ON CONFLICT (operation_id) DO NOTHING
        RETURNING operation_id
        """;

    /// <summary>
    /// Shard activations and checkpoints reading the ledger at once, per silo. A reconciliation or a cold cluster
    /// activates hundreds of shards together (63 provinces × 8), and a silo stopping checkpoints all of its shards;
    /// unbounded, their queries took more connections than PostgreSQL allows.
    /// </summary>
    public const int ConcurrentShardQueries = 8;

    // A shard's cells as of its checkpoint, and the sums of its rows after it, in one statement: one snapshot, so the
    // cells are those of the bound read with them, and the tail starts at that bound. Without a checkpoint the tail is
    // the whole shard.
    private const string ReadShardSql =
        """
        SELECT sex, birth_year, reason, residents, changes, false
        FROM registry.province_counter_checkpoint_cell
        WHERE province_code = $1 AND shard = $2
        UNION ALL
        SELECT sex, birth_year, reason, SUM(change)::bigint, COUNT(*)::bigint, true
        FROM registry.province_resident_change
        WHERE province_code = $1 AND shard = $2
          AND transaction_id >= coalesce(
              (SELECT below_transaction FROM registry.province_counter_checkpoint WHERE province_code = $1 AND shard = $2), '0')
        GROUP BY sex, birth_year, reason
        """;

    // Writing a checkpoint, in one transaction of three statements, each with its own snapshot (read committed): make
    // sure the shard's checkpoint row exists; lock it, so that writers of one shard's checkpoint take turns; then, in a
    // snapshot taken after the lock, add the rows between the committed bound and the new one (the xmin of this very
    // statement's snapshot) to the cells and move the bound. Returns the number of changes added, or no row when the
    // bound could not move.
    private const string EnsureCheckpointSql =
        """
        INSERT INTO registry.province_counter_checkpoint (province_code, shard, below_transaction)
        VALUES ($1, $2, '0')
        ON CONFLICT (province_code, shard) DO NOTHING
        """;

    private const string LockCheckpointSql =
        """
        SELECT 1 FROM registry.province_counter_checkpoint WHERE province_code = $1 AND shard = $2 FOR UPDATE
        """;

    private const string AdvanceCheckpointSql =
        """
        WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS below),
        tail AS (
            SELECT sex, birth_year, reason, SUM(change)::bigint AS residents, COUNT(*)::bigint AS changes
            FROM registry.province_resident_change
            WHERE province_code = $1 AND shard = $2
              AND transaction_id >= (SELECT below_transaction FROM registry.province_counter_checkpoint WHERE province_code = $1 AND shard = $2)
              AND transaction_id < (SELECT below FROM horizon)
            GROUP BY sex, birth_year, reason),
        counted AS (
            INSERT INTO registry.province_counter_checkpoint_cell AS cell (province_code, shard, sex, birth_year, reason, residents, changes)
            SELECT $1, $2, sex, birth_year, reason, residents, changes FROM tail
            ON CONFLICT (province_code, shard, sex, birth_year, reason)
            DO UPDATE SET residents = cell.residents + excluded.residents, changes = cell.changes + excluded.changes)
        UPDATE registry.province_counter_checkpoint AS checkpoint
        SET below_transaction = horizon.below, written_at = now()
        FROM horizon
        WHERE checkpoint.province_code = $1 AND checkpoint.shard = $2 AND horizon.below > checkpoint.below_transaction
        RETURNING (SELECT coalesce(SUM(changes), 0)::bigint FROM tail)
        """;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommit<Entry, bool> _writer;
    private readonly SemaphoreSlim _shardQueries = new(ConcurrentShardQueries);

    /// <summary>Starts the writer.</summary>
    public ProvinceLedger(NpgsqlDataSource database, ILogger<ProvinceLedger> logger)
    {
        _database = database;
        _writer = new GroupCommit<Entry, bool>(InsertAsync, MaxBatchSize, (count, exception) => LogBatchFailed(logger, count, exception));
    }

    /// <summary>Records the change in a shard of a province unless its operation id is already recorded.</summary>
    /// <returns>True when this call recorded it.</returns>
    public Task<bool> TryRecordAsync(string provinceCode, int shard, ResidentCountChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _writer.WriteAsync(new Entry(provinceCode, shard, change), cancellationToken);
    }

    /// <summary>A shard's counters: its checkpoint's cells plus the sums of the changes recorded after it.</summary>
    public async Task<StoredShard> ReadShardAsync(string provinceCode, int shard, CancellationToken cancellationToken = default)
    {
        await _shardQueries.WaitAsync(cancellationToken);
        try
        {
            return await SumShardAsync(provinceCode, shard, cancellationToken);
        }
        finally
        {
            _shardQueries.Release();
        }
    }

    /// <summary>
    /// Moves a shard's checkpoint as far forward as the ledger allows, adding the changes recorded since the last one to
    /// its cells. Safe at any time, from any silo, concurrently with writes and with other checkpoints of the shard.
    /// </summary>
    /// <returns>The number of changes the checkpoint now covers that it did not before.</returns>
    public async Task<long> WriteCheckpointAsync(string provinceCode, int shard, CancellationToken cancellationToken = default)
    {
        await _shardQueries.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var ensure = new NpgsqlCommand(EnsureCheckpointSql, connection, transaction))
            {
                await AddShard(ensure, provinceCode, shard).ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var lockRow = new NpgsqlCommand(LockCheckpointSql, connection, transaction))
            {
                await AddShard(lockRow, provinceCode, shard).ExecuteNonQueryAsync(cancellationToken);
            }

            await using var advance = new NpgsqlCommand(AdvanceCheckpointSql, connection, transaction);
            // No row when the bound could not move: then nothing was added either.
            var added = await AddShard(advance, provinceCode, shard).ExecuteScalarAsync(cancellationToken) as long? ?? 0;
            await transaction.CommitAsync(cancellationToken);
            return added;
        }
        finally
        {
            _shardQueries.Release();
        }
    }

    // The two parameters every statement about one shard takes; char(3), the column's type, so that its indexes serve.
    private static NpgsqlCommand AddShard(NpgsqlCommand command, string provinceCode, int shard)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = checked((short)shard) });
        return command;
    }

    private async Task<StoredShard> SumShardAsync(string provinceCode, int shard, CancellationToken cancellationToken)
    {
        await using var command = AddShard(_database.CreateCommand(ReadShardSql), provinceCode, shard);
        var residents = new Dictionary<(Sex, int), long>();
        var changes = new Dictionary<ResidentCountReason, long>();
        long changesAfterCheckpoint = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cell = ((Sex)reader.GetInt16(0), (int)reader.GetInt16(1));
            residents[cell] = residents.GetValueOrDefault(cell) + reader.GetInt64(3);
            var reason = ParseReason(reader.GetString(2));
            changes[reason] = changes.GetValueOrDefault(reason) + reader.GetInt64(4);
            if (reader.GetBoolean(5))
            {
                changesAfterCheckpoint += reader.GetInt64(4);
            }
        }

        return new StoredShard(
            new ProvinceCounterTotals(
                [.. residents.Select(static cell => new ResidentCell(cell.Key.Item1, cell.Key.Item2, cell.Value))],
                [.. changes.Select(static change => new ReasonCount(change.Key, change.Value))]),
            changesAfterCheckpoint);
    }

    /// <summary>Writes the changes already accepted and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _shardQueries.Dispose();
    }

    private async Task<bool[]> InsertAsync(IReadOnlyList<Entry> batch)
    {
        await using var command = _database.CreateCommand(InsertSql);
        command.Parameters.Add(Array(batch, static entry => entry.Change.OperationId, NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(batch, static entry => entry.ProvinceCode, NpgsqlDbType.Char));
        command.Parameters.Add(Array(batch, static entry => checked((short)entry.Shard), NpgsqlDbType.Smallint));
        command.Parameters.Add(Array(batch, static entry => entry.Change.PersonalIdNumber.Value, NpgsqlDbType.Char));
        command.Parameters.Add(Array(batch, static entry => checked((short)entry.Change.Delta), NpgsqlDbType.Smallint));
        command.Parameters.Add(Array(batch, static entry => ReasonName(entry.Change.Reason), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(batch, static entry => MoveIdOf(entry.Change), NpgsqlDbType.Varchar));
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                inserted.Add(reader.GetString(0));
            }
        }

        // The same operation twice in one batch is inserted once: only its first caller applied it.
        return [.. batch.Select(entry => inserted.Remove(entry.Change.OperationId))];
    }

    private static NpgsqlParameter<T[]> Array<T>(IReadOnlyList<Entry> batch, Func<Entry, T> column, NpgsqlDbType elementType) =>
        new() { TypedValue = [.. batch.Select(column)], NpgsqlDbType = NpgsqlDbType.Array | elementType };

    // The move id pairs a move's two rows (migration 0016). A count a citizen stored before 0016 and owes still (its
    // effects cut short by a crash, finished later by the sweep) has none: its operation id is then the move's operation
    // and the half after a last colon, which is how the migration filled the rows already written. Nothing newer is read
    // that way, and without it such a move's half would wait for its pair forever in the event feed.
    private static string? MoveIdOf(ResidentCountChange change) => change switch
    {
        { MoveId: { } moveId } => moveId,
        { Reason: ResidentCountReason.Departure or ResidentCountReason.Arrival or ResidentCountReason.Reorganisation, OperationId: var operation }
            when operation.LastIndexOf(':') is > 0 and var end => operation[..end],
        _ => null,
    };

    private static string ReasonName(ResidentCountReason reason) => reason switch
    {
        ResidentCountReason.Registration => "registration",
        ResidentCountReason.Death => "death",
        ResidentCountReason.Arrival => "arrival",
        ResidentCountReason.Departure => "departure",
        ResidentCountReason.Birth => "birth",
        ResidentCountReason.Renumbering => "renumbering",
        ResidentCountReason.Reorganisation => "reorganisation",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reason."),
    };

    private static ResidentCountReason ParseReason(string name) => name switch
    {
        "registration" => ResidentCountReason.Registration,
        "death" => ResidentCountReason.Death,
        "arrival" => ResidentCountReason.Arrival,
        "departure" => ResidentCountReason.Departure,
        "birth" => ResidentCountReason.Birth,
        "renumbering" => ResidentCountReason.Renumbering,
        "reorganisation" => ResidentCountReason.Reorganisation,
        _ => throw new InvalidDataException($"Unknown reason '{name}' in registry.province_resident_change."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} province count change(s) failed; their citizens will send them again")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    private sealed record Entry(string ProvinceCode, int Shard, ResidentCountChange Change);
}

/// <summary>A shard's counters as read on activation.</summary>
/// <param name="Totals">Its cells: the checkpoint's plus the changes recorded after it.</param>
/// <param name="ChangesAfterCheckpoint">How many of the changes were read from the ledger after the checkpoint: what the next checkpoint would add.</param>
public sealed record StoredShard(ProvinceCounterTotals Totals, long ChangesAfterCheckpoint);
