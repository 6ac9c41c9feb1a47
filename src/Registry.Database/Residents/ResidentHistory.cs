using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Database.Residents;

/// <summary>One entry of a person's history at its place in it (0 for the first), as a row of <c>registry.resident_history</c>.</summary>
/// <param name="Person">Whose history.</param>
/// <param name="Sequence">The entry's place in the person's history, never reused: with the operation id, the row's key.</param>
/// <param name="Change">The entry.</param>
public sealed record ResidentHistoryEntry(PersonalIdNumber Person, int Sequence, ResidentChange Change);

/// <summary>
/// The append-only table of people's history entries (migration 0029): the one place that writes and reads it. The citizen
/// grain writes each new entry once, in the read model's batch (<see cref="ResidentProjection"/>), keeps the recent ones in
/// its state and reads the older ones here; the national bulk load writes a loaded person's first entry with
/// <see cref="Insert"/> in its own transaction. Rows are never updated: a repeated insert of an entry does nothing.
/// </summary>
public sealed class ResidentHistory(NpgsqlDataSource database)
{
    // Sorted by key, so two transactions inserting overlapping rows (a change's effects run again on another silo) wait
    // on each other in one order and cannot deadlock.
    private const string InsertSql =
        """
        INSERT INTO registry.resident_history (personal_id, operation_id, seq, entry)
        SELECT * FROM unnest($1::char(12)[], $2::text[], $3::integer[], $4::jsonb[])
        ON CONFLICT DO NOTHING
        """;

    private const string ReadSql =
        "SELECT entry FROM registry.resident_history WHERE personal_id = $1 AND seq < $2 ORDER BY seq";

    private const string FindSql =
        "SELECT entry FROM registry.resident_history WHERE personal_id = $1 AND operation_id = $2 AND seq < $3 ORDER BY seq";

    // The grain storage's JSON (JsonGrainStateSerializer): an entry read from here is the entry the state held.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The statement that inserts <paramref name="entries"/>, for a caller's own batch or transaction. Entries already in
    /// the table are left as they are.
    /// </summary>
    /// <exception cref="ArgumentException">An entry has a negative place or no operation id.</exception>
    public static NpgsqlBatchCommand Insert(IEnumerable<ResidentHistoryEntry> entries) => InsertRows(Rows(entries));

    /// <summary>Inserts <paramref name="entries"/> on its own; entries already in the table are left as they are.</summary>
    public async Task WriteAsync(IEnumerable<ResidentHistoryEntry> entries, CancellationToken cancellationToken = default)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Insert(entries));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The entries of <paramref name="person"/> before place <paramref name="before"/>, oldest first.</summary>
    public async Task<ResidentChange[]> ReadAsync(PersonalIdNumber person, int before, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = person.Value, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = before });
        return await EntriesAsync(command, cancellationToken);
    }

    /// <summary>The entries of <paramref name="person"/> written under <paramref name="operationId"/> before place <paramref name="before"/>, oldest first.</summary>
    public async Task<ResidentChange[]> FindAsync(PersonalIdNumber person, string operationId, int before, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(FindSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = person.Value, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operationId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = before });
        return await EntriesAsync(command, cancellationToken);
    }

    /// <summary>
    /// The rows of <paramref name="entries"/>, checked and serialised here: a bad entry fails its own caller, never a
    /// batch shared with others.
    /// </summary>
    internal static HistoryRow[] Rows(IEnumerable<ResidentHistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return [.. entries.Select(static entry =>
        {
            ArgumentNullException.ThrowIfNull(entry);
            ArgumentOutOfRangeException.ThrowIfNegative(entry.Sequence);
            ArgumentException.ThrowIfNullOrEmpty(entry.Change?.OperationId);
            return new HistoryRow(entry.Person.Value, entry.Change.OperationId, entry.Sequence, JsonSerializer.Serialize(entry.Change, Json));
        })];
    }

    /// <summary>The statement inserting checked rows, each once, in key order.</summary>
    internal static NpgsqlBatchCommand InsertRows(IEnumerable<HistoryRow> rows)
    {
        var sorted = rows.DistinctBy(static row => (row.PersonalId, row.OperationId, row.Sequence))
            .OrderBy(static row => row.PersonalId, StringComparer.Ordinal)
            .ThenBy(static row => row.OperationId, StringComparer.Ordinal)
            .ThenBy(static row => row.Sequence)
            .ToArray();
        var command = new NpgsqlBatchCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. sorted.Select(static row => row.PersonalId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. sorted.Select(static row => row.OperationId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. sorted.Select(static row => row.Sequence)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. sorted.Select(static row => row.Entry)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return command;
    }

    private static async Task<ResidentChange[]> EntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<ResidentChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(JsonSerializer.Deserialize<ResidentChange>(reader.GetString(0), Json)
                ?? throw new JsonException("A history entry is JSON null."));
        }

        return [.. entries];
    }
}

/// <summary>An entry as the columns of <c>registry.resident_history</c>.</summary>
internal sealed record HistoryRow(string PersonalId, string OperationId, int Sequence, string Entry);
