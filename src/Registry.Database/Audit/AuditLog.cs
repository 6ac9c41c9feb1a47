using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Registry.Database.Telemetry;
using Registry.Database.Writing;

namespace Registry.Database.Audit;

/// <summary>
/// Appends audit records to hash-chained chains of this process (see migration 0018). Each chain has one writer, a
/// <see cref="GroupCommit{TItem, TResult}"/>: records from concurrent requests that arrive while it writes go together
/// into the next transaction, whose hashes it computes in order, so a chain never needs a lock and one commit serves
/// many requests. Requests spread over the chains in turn. A caller's task completes once its record is committed.
/// </summary>
/// <remarks>
/// A chain is named when the process starts (<see cref="ChainPrefix"/> and its number) and ends with it: a restarted
/// process never has to find where its predecessor stopped. When a batch fails, the outcome of its commit is unknown
/// (the connection may have dropped after PostgreSQL committed), so the writer reads the chain's last row again before
/// its next batch rather than trust the head it held.
/// </remarks>
public sealed partial class AuditLog : IAsyncDisposable
{
    /// <summary>Most records in one transaction.</summary>
    public const int MaxBatchSize = 512;

    private const string Columns =
        "chain_id, position, accessed_at, actor_id, actor_role, actor_province, client, purpose, purpose_note, endpoint, " +
        "person_numbers, fields, outcome, status_code, reason, previous_hash, hash";

    private const string CopySql = "COPY registry.audit_entry (" + Columns + ") FROM STDIN (FORMAT BINARY)";

    private const string SealSql =
        """
        INSERT INTO registry.audit_seal (chain_id, position, hash) VALUES ($1, $2, $3)
        ON CONFLICT (chain_id, position) DO NOTHING
        """;

    private const string HeadSql =
        """
        SELECT position, hash FROM registry.audit_entry WHERE chain_id = $1 ORDER BY position DESC LIMIT 1
        """;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger _logger;
    private readonly Chain[] _chains;
    private long _turn;

    /// <summary>Starts <paramref name="chains"/> writers, each with a chain of its own.</summary>
    /// <param name="database">The registry's database.</param>
    /// <param name="chains">Writers of this process, 1 or more.</param>
    /// <param name="logger">Where failed batches and seals are reported.</param>
    public AuditLog(NpgsqlDataSource database, int chains, ILogger<AuditLog> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        _database = database;
        _logger = logger;
        // Unique without coordination: the host, the start time and random bits; readable for an operator.
        ChainPrefix = $"{Environment.MachineName}/{DateTime.UtcNow:yyyyMMddTHHmmssZ}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        _chains = [.. Enumerable.Range(1, chains).Select(number => new Chain(this, $"{ChainPrefix}/{number}"))];
    }

    /// <summary>What every chain id of this process starts with.</summary>
    public string ChainPrefix { get; }

    /// <summary>Records committed since the start, over all chains.</summary>
    public long Appended => _chains.Sum(chain => chain.Writer.Statistics.Items);

    /// <summary>
    /// Appends <paramref name="record"/> to one of the chains and completes once it is committed.
    /// </summary>
    /// <param name="record">What to append; checked here (<see cref="AuditRecord.Check"/>), so it never fails a shared batch.</param>
    /// <param name="cancellationToken">Stops waiting; the record may still be appended.</param>
    /// <exception cref="ArgumentException">The record cannot be stored verbatim.</exception>
    /// <exception cref="NpgsqlException">Its batch's transaction failed: the record may or may not be stored.</exception>
    /// <exception cref="ObjectDisposedException">The log is stopping.</exception>
    public Task<AuditReceipt> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Check() is { } problem)
        {
            throw new ArgumentException(problem, nameof(record));
        }

        return AppendToLeastBusyAsync(record, cancellationToken);
    }

    // The chain with the fewest records waiting or being written, so that a request never queues behind a busy writer
    // while another is idle; ties go round in turn. Which chain holds a row does not matter to anyone.
    private async Task<AuditReceipt> AppendToLeastBusyAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var start = (int)((ulong)Interlocked.Increment(ref _turn) % (ulong)_chains.Length);
        var chain = _chains[start];
        for (var i = 1; i < _chains.Length; i++)
        {
            var candidate = _chains[(start + i) % _chains.Length];
            if (Volatile.Read(ref candidate.Waiting) < Volatile.Read(ref chain.Waiting))
            {
                chain = candidate;
            }
        }

        Interlocked.Increment(ref chain.Waiting);
        try
        {
            return await chain.Writer.WriteAsync(record, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref chain.Waiting);
        }
    }

    /// <summary>
    /// Seals every chain that grew since its last seal: records its last committed position and hash, so that a cut of
    /// its tail is found. Safe beside appends: a committed head stays a true prefix of the chain.
    /// </summary>
    public async Task SealAsync(CancellationToken cancellationToken = default)
    {
        foreach (var chain in _chains)
        {
            var head = chain.Committed;
            if (head.Position <= chain.SealedPosition)
            {
                continue;
            }

            await using var command = _database.CreateCommand(SealSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chain.Id });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = head.Position });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = head.Hash });
            await command.ExecuteNonQueryAsync(cancellationToken);
            chain.SealedPosition = head.Position;
        }
    }

    /// <summary>Stops accepting records, writes those accepted, and seals the chains where they end.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var chain in _chains)
        {
            await chain.Writer.DisposeAsync();
        }

        try
        {
            await SealAsync();
        }
        catch (NpgsqlException exception)
        {
            // The rows are committed; only the proof of where the chains end is missing, which verify reports as
            // nothing (an unsealed tail is not a cut one).
            LogSealFailed(_logger, exception);
        }
    }

    private async Task<AuditReceipt[]> WriteBatchAsync(Chain chain, IReadOnlyList<AuditRecord> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await _database.OpenConnectionAsync();
            if (!chain.HeadKnown)
            {
                chain.Committed = await ReadHeadAsync(connection, chain.Id);
                chain.HeadKnown = true;
            }

            var receipts = new AuditReceipt[batch.Count];
            if (!chain.Opened)
            {
                // The opening seal on its own: a chain opened and never written is an empty chain, which verify accepts.
                await using var open = new NpgsqlCommand(SealSql, connection);
                open.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chain.Id });
                open.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 0 });
                open.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = AuditChain.Genesis.ToArray() });
                await open.ExecuteNonQueryAsync();
                chain.Opened = true;
            }

            var head = chain.Committed;
            await using (var copy = await connection.BeginBinaryImportAsync(CopySql))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var record = batch[i];
                    var position = head.Position + 1;
                    var hash = AuditChain.Hash(chain.Id, record, head.Hash);
                    await WriteRowAsync(copy, chain.Id, position, record, head.Hash, hash);
                    receipts[i] = new AuditReceipt(chain.Id, position);
                    head = new Head(position, hash);
                }

                // One COPY is one statement and so one transaction of its own: the batch commits whole or not at all,
                // with two round trips rather than the three of an explicit BEGIN … COMMIT around it.
                await copy.CompleteAsync();
            }

            chain.Committed = head;
            RegistryMetrics.AuditBatchCommitted(batch.Select(static record => record.Outcome), Stopwatch.GetElapsedTime(started));
            return receipts;
        }
        catch
        {
            chain.HeadKnown = false;
            throw;
        }
    }

    private static async Task<Head> ReadHeadAsync(NpgsqlConnection connection, string chainId)
    {
        await using var command = new NpgsqlCommand(HeadSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chainId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new Head(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : new Head(0, AuditChain.Genesis.ToArray());
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, string chainId, long position, AuditRecord record, byte[] previousHash, byte[] hash)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(chainId, NpgsqlDbType.Text);
        await copy.WriteAsync(position, NpgsqlDbType.Bigint);
        await copy.WriteAsync(record.AccessedAt, NpgsqlDbType.TimestampTz);
        await copy.WriteAsync(record.ActorId, NpgsqlDbType.Text);
        await WriteTextAsync(copy, record.ActorRole);
        await WriteTextAsync(copy, record.ActorProvince, NpgsqlDbType.Char);
        await WriteTextAsync(copy, record.Client);
        await WriteTextAsync(copy, record.Purpose);
        await WriteTextAsync(copy, record.PurposeNote);
        await copy.WriteAsync(record.Endpoint, NpgsqlDbType.Text);
        await copy.WriteAsync(record.PersonNumbers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Char);
        await copy.WriteAsync(record.Fields.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        await copy.WriteAsync(record.Outcome, NpgsqlDbType.Text);
        await copy.WriteAsync((short)record.StatusCode, NpgsqlDbType.Smallint);
        await WriteTextAsync(copy, record.Reason);
        await copy.WriteAsync(previousHash, NpgsqlDbType.Bytea);
        await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter copy, string? text, NpgsqlDbType type = NpgsqlDbType.Text) =>
        text is null ? copy.WriteNullAsync() : copy.WriteAsync(text, type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} audit record(s) failed; their requests are answered 503 without data")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing the audit chains failed; the next seal will cover their tails")]
    private static partial void LogSealFailed(ILogger logger, Exception exception);

    private sealed record Head(long Position, byte[] Hash);

    // Touched by its writer's loop only, but for Committed and SealedPosition, which SealAsync reads: an immutable Head
    // swapped whole, and a position only the sealing caller writes.
    private sealed class Chain
    {
        private Head _committed = new(0, AuditChain.Genesis.ToArray());

        public Chain(AuditLog log, string id)
        {
            Id = id;
            Writer = new GroupCommit<AuditRecord, AuditReceipt>(
                batch => log.WriteBatchAsync(this, batch), MaxBatchSize, (count, exception) => LogBatchFailed(log._logger, count, exception));
        }

        public string Id { get; }

        public GroupCommit<AuditRecord, AuditReceipt> Writer { get; }

        public Head Committed
        {
            get => Volatile.Read(ref _committed);
            set => Volatile.Write(ref _committed, value);
        }

        public bool HeadKnown { get; set; } = true;

        public bool Opened { get; set; }

        public long SealedPosition { get; set; }

        /// <summary>Records handed to this chain's writer and not yet answered.</summary>
        public int Waiting;
    }
}
