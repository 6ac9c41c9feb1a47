using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Identity;
using Registry.Database.Writing;

namespace Registry.Database.Resumption;

/// <summary>
/// Table <c>registry.unfinished_citizen</c>: the citizens that stored a change whose effects are not yet known to be
/// done. A citizen marks itself before storing such a change and clears the mark after its effects; the
/// unfinished-work sweeper grain wakes those marked for too long. One per silo; marks and clears are each
/// written with group commit, so the register costs a share of a commit per change, not a round trip.
/// </summary>
public sealed partial class UnfinishedWork : IAsyncDisposable
{
    private const int MaxBatchSize = 512;

    // A mark keeps the highest version it was given and the time it was first made: the sweep looks at how long the
    // person has owed something, not at their latest change. Rows are sorted so that two silos lock in one order.
    private const string MarkSql =
        """
        INSERT INTO registry.unfinished_citizen AS mark (personal_id, version)
        SELECT * FROM unnest($1::char(12)[], $2::bigint[]) ORDER BY 1
        ON CONFLICT (personal_id) DO UPDATE SET version = GREATEST(mark.version, EXCLUDED.version)
        """;

    // A clear removes a mark only if no newer change has marked the person since: clears may arrive late.
    private const string ClearSql =
        """
        DELETE FROM registry.unfinished_citizen AS mark
        USING unnest($1::char(12)[], $2::bigint[]) AS done (personal_id, version)
        WHERE mark.personal_id = done.personal_id AND mark.version <= done.version
        """;

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommit<(string Number, long Version), bool> _marks;
    private readonly GroupCommit<(string Number, long Version), bool> _clears;

    /// <summary>Starts the writers.</summary>
    public UnfinishedWork(NpgsqlDataSource database, ILogger<UnfinishedWork> logger)
    {
        _database = database;
        _marks = new(batch => WriteAsync(MarkSql, batch), MaxBatchSize, (count, exception) => LogFailed(logger, "Marking", count, exception));
        _clears = new(batch => WriteAsync(ClearSql, batch), MaxBatchSize, (count, exception) => LogFailed(logger, "Clearing", count, exception));
    }

    /// <summary>Marks <paramref name="number"/> as owing the effects of its change <paramref name="version"/>; completes once durable.</summary>
    public Task MarkAsync(PersonalIdNumber number, long version) => _marks.WriteAsync((number.Value, version));

    /// <summary>Clears the mark of <paramref name="number"/> unless a change newer than <paramref name="version"/> made it.</summary>
    public Task ClearAsync(PersonalIdNumber number, long version) => _clears.WriteAsync((number.Value, version));

    /// <summary>Up to <paramref name="limit"/> citizens marked before <paramref name="markedBefore"/>, oldest first.</summary>
    public async Task<PersonalIdNumber[]> ListMarkedBeforeAsync(DateTimeOffset markedBefore, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand(
            "SELECT personal_id FROM registry.unfinished_citizen WHERE marked_at < $1 ORDER BY marked_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = markedBefore });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var numbers = new List<PersonalIdNumber>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (PersonalIdNumber.TryParse(reader.GetString(0), out var number, out _))
            {
                numbers.Add(number);
            }
        }

        return [.. numbers];
    }

    /// <summary>Writes what was accepted and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _marks.DisposeAsync();
        await _clears.DisposeAsync();
    }

    private async Task<bool[]> WriteAsync(string sql, IReadOnlyList<(string Number, long Version)> batch)
    {
        // One row per person, the highest version: an upsert may not touch a row twice, and the lower version says less.
        var rows = batch.GroupBy(static item => item.Number, StringComparer.Ordinal)
            .Select(static group => (Number: group.Key, Version: group.Max(static item => item.Version)))
            .ToArray();
        await using var command = _database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(static row => row.Number)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(static row => row.Version)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync();
        return new bool[batch.Count];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} {Count} unfinished citizen(s) failed")]
    private static partial void LogFailed(ILogger logger, string action, int count, Exception exception);
}
