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
    /// Shard activations reading their sums at once, per silo. A reconciliation or a cold cluster activates hundreds
    /// of shards together (63 provinces × 8); unbounded, their reads took more connections than PostgreSQL allows.
    /// </summary>
    public const int ConcurrentShardReads = 8;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommit<Entry, bool> _writer;
    private readonly SemaphoreSlim _shardReads = new(ConcurrentShardReads);

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

    /// <summary>A shard's counters: the sums of its recorded changes.</summary>
    public async Task<ProvinceCounterTotals> ReadShardAsync(string provinceCode, int shard, CancellationToken cancellationToken = default)
    {
        await _shardReads.WaitAsync(cancellationToken);
        try
        {
            return await SumShardAsync(provinceCode, shard, cancellationToken);
        }
        finally
        {
            _shardReads.Release();
        }
    }

    private async Task<ProvinceCounterTotals> SumShardAsync(string provinceCode, int shard, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            """
            SELECT sex, birth_year, reason, SUM(change)::bigint, COUNT(*)::bigint
            FROM registry.province_resident_change
            WHERE province_code = $1 AND shard = $2
            GROUP BY sex, birth_year, reason
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = checked((short)shard) });
        var residents = new Dictionary<(Sex, int), long>();
        var changes = new Dictionary<ResidentCountReason, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cell = ((Sex)reader.GetInt16(0), (int)reader.GetInt16(1));
            residents[cell] = residents.GetValueOrDefault(cell) + reader.GetInt64(3);
            var reason = ParseReason(reader.GetString(2));
            changes[reason] = changes.GetValueOrDefault(reason) + reader.GetInt64(4);
        }

        return new ProvinceCounterTotals(
            [.. residents.Select(static cell => new ResidentCell(cell.Key.Item1, cell.Key.Item2, cell.Value))],
            [.. changes.Select(static change => new ReasonCount(change.Key, change.Value))]);
    }

    /// <summary>Writes the changes already accepted and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _shardReads.Dispose();
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
