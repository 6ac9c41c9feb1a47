using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Batches;
using Registry.Domain.Residents;
using Registry.Database.Residents;

namespace Registry.Database.BulkLoad;

/// <summary>A row of Orleans' grain storage, its identity columns computed by the caller as the ADO.NET provider does.</summary>
/// <param name="IdHash">The provider's hash of the grain id.</param>
/// <param name="N0">First numeric key part.</param>
/// <param name="N1">Second numeric key part (the key as a number for keys of up to 16 hex digits).</param>
/// <param name="TypeHash">The provider's hash of the state name.</param>
/// <param name="StateName">The state name (<c>graintypestring</c>).</param>
/// <param name="Extension">The key extension, or the whole key when it is no number.</param>
/// <param name="Payload">The serialized state.</param>
public sealed record StoredGrainState(int IdHash, long N0, long N1, int TypeHash, string StateName, string? Extension, byte[] Payload);

/// <summary>A stored state as read, with the version its next write must name.</summary>
public sealed record StoredGrainVersion(long N1, byte[] Payload, int Version);

/// <summary>A person loaded: their citizen state, the read model's snapshot of it, the count owed to their province, and their first history entry.</summary>
public sealed record LoadedPerson(StoredGrainState Citizen, ResidentSnapshot Snapshot, OwedCount Count, ResidentHistoryEntry FirstEntry);

/// <summary>What became of a row of the file, as a batch row reports it.</summary>
public sealed record LoadedRowResult(int RowNumber, BatchRowStatus Status, string? PersonalId, BatchRowResult Result);

/// <summary>A load's row in <c>registry.bulk_load</c>.</summary>
public sealed record LoadProgress(string LoadId, bool Completed, int RowsDone, long Applied, long Duplicates, long Rejected);

/// <summary>
/// The database side of the national bulk load: <c>registry.bulk_load</c> and its rows (migration 0028), the facts a chunk
/// is decided on, and one transaction per chunk that copies its people into grain storage, the read model and the province
/// ledger together with its results and the load's position. Written for a stopped cluster (see
/// <see cref="LiveSilosAsync"/>): grain storage is written here the way a silo would have written it, and no silo may hold
/// those grains, their allocators or counter shards in memory meanwhile.
/// </summary>
public sealed class BulkLoadStore(NpgsqlDataSource database)
{
    // One loader at a time per database: two would allocate the same numbers from the same allocator states.
    private const long LoaderLockKey = 0x0B_0017_0028;

    /// <summary>
    /// Silos that may be running on this database (any cluster): every membership row not marked dead whose last heartbeat
    /// is more recent than <paramref name="quietFor"/>. A silo killed without a successor to declare it dead stays "active"
    /// in the table; its heartbeat stops, so after that long it no longer counts.
    /// </summary>
    public async Task<IReadOnlyList<string>> LiveSilosAsync(TimeSpan quietFor, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT deploymentid, address, port, status, iamalivetime FROM orleansmembershiptable
            WHERE status <> 6 AND iamalivetime > now() - $1
            ORDER BY deploymentid, address, port
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = quietFor, NpgsqlDbType = NpgsqlDbType.Interval });
        var silos = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            silos.Add(string.Create(CultureInfo.InvariantCulture,
                $"{reader.GetString(1)}:{reader.GetInt32(2)} of cluster {reader.GetString(0)} (status {reader.GetInt32(3)}, alive at {reader.GetDateTime(4):u})"));
        }

        return silos;
    }

    /// <summary>Takes the loader's lock for as long as the returned connection stays open; null when another loader holds it.</summary>
    public async Task<NpgsqlConnection?> TryLockAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LoaderLockKey });
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            return connection;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>The load of this file: started now, or as an earlier run left it.</summary>
    public async Task<LoadProgress> BeginAsync(string loadId, string fileName, string sha256, string loadedBy, CancellationToken cancellationToken = default)
    {
        await using (var insert = database.CreateCommand(
            "INSERT INTO registry.bulk_load (load_id, file_name, sha256, loaded_by, status) VALUES ($1, $2, $3, $4, 'running') ON CONFLICT (load_id) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = loadId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fileName });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = loadedBy });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return await ProgressAsync(loadId, cancellationToken) ?? throw new InvalidOperationException($"Load {loadId} vanished.");
    }

    /// <summary>The load's row, or null.</summary>
    public async Task<LoadProgress?> ProgressAsync(string loadId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT status, rows_done, applied, duplicates, rejected FROM registry.bulk_load WHERE load_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = loadId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LoadProgress(loadId, reader.GetString(0) == "completed", reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4))
            : null;
    }

    /// <summary>Marks the load done: every row of the file has its result.</summary>
    public async Task CompleteAsync(string loadId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "UPDATE registry.bulk_load SET status = 'completed', finished_at = now() WHERE load_id = $1 AND status = 'running'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = loadId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every stored state under <paramref name="stateName"/> (a few rows only: the provinces).</summary>
    public async Task<IReadOnlyList<(long N1, string? Extension, byte[] Payload)>> ReadStatesAsync(string serviceId, string stateName, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT grainidn1, grainidextensionstring, payloadbinary FROM orleansstorage WHERE serviceid = $1 AND graintypestring = $2 AND payloadbinary IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        var states = new List<(long, string?, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        }

        return states;
    }

    /// <summary>Opens the transaction of one chunk.</summary>
    public async Task<LoadChunk> OpenChunkAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new LoadChunk(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>
/// One chunk of a load, one transaction: read what it is decided on, then write everything it does and the load's new
/// position; a crash anywhere before <see cref="CommitAsync"/> leaves nothing of it.
/// </summary>
public sealed class LoadChunk : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    internal LoadChunk(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Which of these integer keys have a stored state under <paramref name="stateName"/> (numbers somebody holds).</summary>
    public async Task<IReadOnlySet<long>> StoredKeysAsync(string serviceId, string stateName, IReadOnlyCollection<long> keys, CancellationToken cancellationToken = default)
    {
        var found = new HashSet<long>();
        if (keys.Count == 0)
        {
            return found;
        }

        // The storage's unique index (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring) serves it.
        await using var command = new NpgsqlCommand(
            """
            SELECT grainidn1 FROM orleansstorage
            WHERE serviceid = $1 AND graintypestring = $2 AND grainidn0 = 0 AND grainidn1 = ANY($3) AND grainidextensionstring IS NULL
              AND payloadbinary IS NOT NULL
            """, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. keys] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetInt64(0));
        }

        return found;
    }

    /// <summary>
    /// The stored states of these integer keys under <paramref name="stateName"/>, locked until the chunk ends, in key order
    /// so that two files loaded at once drawing from the same allocators wait for each other rather than deadlock.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, StoredGrainVersion>> LockStatesAsync(string serviceId, string stateName, IReadOnlyCollection<long> keys, CancellationToken cancellationToken = default)
    {
        var states = new Dictionary<long, StoredGrainVersion>();
        if (keys.Count == 0)
        {
            return states;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT grainidn1, payloadbinary, version FROM orleansstorage
            WHERE serviceid = $1 AND graintypestring = $2 AND grainidn0 = 0 AND grainidn1 = ANY($3) AND grainidextensionstring IS NULL
              AND payloadbinary IS NOT NULL
            ORDER BY grainidn1
            FOR UPDATE
            """, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. keys] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetInt64(0)] = new StoredGrainVersion(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetInt32(2));
        }

        return states;
    }

    /// <summary>Which of these numbers nobody in the read model holds (links must name people who exist).</summary>
    public async Task<IReadOnlySet<PersonalIdNumber>> UnknownAsync(IReadOnlyCollection<PersonalIdNumber> numbers, CancellationToken cancellationToken = default)
    {
        var unknown = numbers.ToHashSet();
        if (unknown.Count == 0)
        {
            return unknown;
        }

        await using var command = new NpgsqlCommand("SELECT personal_id FROM registry.resident WHERE personal_id = ANY($1::char(12)[])", _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. unknown.Select(static number => number.Value)] });
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                known.Add(reader.GetString(0));
            }
        }

        unknown.RemoveWhere(number => known.Contains(number.Value));
        return unknown;
    }

    /// <summary>
    /// The people in the read model with the same folded name, birth date and birth province as one of
    /// <paramref name="keys"/> (what <see cref="ResidentDirectory.FindDuplicateCandidatesAsync"/> finds for one registration),
    /// for a whole chunk in one statement through <c>resident_duplicates</c>.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> DuplicateCandidatesAsync(
        IReadOnlyCollection<(string FullName, DateOnly BirthDate, string BirthRegistrationProvince)> keys, CancellationToken cancellationToken = default)
    {
        var candidates = new List<DuplicateCandidate>();
        var distinct = keys.Select(static key => (NameKey: NameFolding.Fold(key.FullName), key.BirthDate, key.BirthRegistrationProvince)).Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return candidates;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT r.personal_id, r.full_name, r.birth_date, r.sex, r.birth_registration_province, r.permanent_residence_province
            FROM unnest($1::text[], $2::date[], $3::char(3)[]) AS k (name_key, birth_date, province)
            JOIN registry.resident r
              ON r.superseded_by IS NULL AND r.name_key = k.name_key COLLATE "C" AND r.birth_date = k.birth_date
             AND r.birth_registration_province = k.province
            """, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. distinct.Select(static key => key.NameKey)] });
        command.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = [.. distinct.Select(static key => key.BirthDate)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. distinct.Select(static key => key.BirthRegistrationProvince)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (PersonalIdNumber.TryParse(reader.GetString(0), out var number, out _))
            {
                candidates.Add(new DuplicateCandidate(number, reader.GetString(1), reader.GetFieldValue<DateOnly>(2), (Sex)reader.GetInt16(3), reader.GetString(4), reader.GetString(5)));
            }
        }

        return candidates;
    }

    /// <summary>
    /// Writes the chunk: the people (grain storage, read model, ledger), the states of the allocators it drew from (each
    /// replaced only at the version read, or inserted), the rows' results, and the load's position after the chunk.
    /// </summary>
    public async Task WriteAsync(string serviceId, string loadId, IReadOnlyList<LoadedPerson> people, IReadOnlyList<(StoredGrainState State, int? Version)> allocators,
        IReadOnlyList<LoadedRowResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(allocators);
        ArgumentNullException.ThrowIfNull(results);
        await CopyStatesAsync(serviceId, [.. people.Select(static person => person.Citizen), .. allocators.Where(static a => a.Version is null).Select(static a => a.State)], cancellationToken);
        await UpdateStatesAsync(serviceId, [.. allocators.Where(static a => a.Version is not null)], cancellationToken);
        await CopyResidentsAsync(people, cancellationToken);
        await ProvinceCountRows.CopyAsync(_connection, [.. people.Select(static person => person.Count)], cancellationToken);
        await WriteHistoryAsync(people, cancellationToken);
        await CopyResultsAsync(loadId, results, cancellationToken);
    }

    // Each person's first entry in the history table (migration 0029), in the chunk's transaction: the stored state says
    // it is written, so nothing is owed when the person first activates.
    private async Task WriteHistoryAsync(IReadOnlyList<LoadedPerson> people, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        batch.BatchCommands.Add(ResidentHistory.Insert(people.Select(static person => person.FirstEntry)));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Moves the load to <paramref name="rowsDone"/> with the chunk's counts and commits the chunk.</summary>
    public async Task CommitAsync(string loadId, int rowsDone, long applied, long duplicates, long rejected, CancellationToken cancellationToken = default)
    {
        await using (var command = new NpgsqlCommand(
            """
            UPDATE registry.bulk_load
            SET rows_done = $2, applied = applied + $3, duplicates = duplicates + $4, rejected = rejected + $5
            WHERE load_id = $1 AND rows_done < $2
            """, _connection, _transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = loadId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = rowsDone });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = applied });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = duplicates });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rejected });
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"Load {loadId} is already past row {rowsDone}: another loader ran it.");
            }
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task CopyStatesAsync(string serviceId, IReadOnlyList<StoredGrainState> states, CancellationToken cancellationToken)
    {
        // The storage's unique key refuses a second row for a grain: a state stored meanwhile fails the whole chunk, never doubles.
        await using var copy = await _connection.BeginBinaryImportAsync(
            "COPY orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, version) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var state in states)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(state.IdHash, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(state.N0, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(state.N1, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(state.TypeHash, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(state.StateName, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(copy, state.Extension, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(serviceId, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(state.Payload, NpgsqlDbType.Bytea, cancellationToken);
            await copy.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private async Task UpdateStatesAsync(string serviceId, IReadOnlyList<(StoredGrainState State, int? Version)> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0)
        {
            return;
        }

        // The write a grain makes (WriteToStorageKey): only at the version read, which then goes up by one.
        await using var command = new NpgsqlCommand(
            """
            UPDATE orleansstorage s SET payloadbinary = u.payload, version = s.version + 1, modifiedon = now()
            FROM unnest($3::bigint[], $4::bytea[], $5::int[]) AS u (n1, payload, version)
            WHERE s.serviceid = $1 AND s.graintypestring = $2 AND s.grainidn0 = 0 AND s.grainidn1 = u.n1 AND s.grainidextensionstring IS NULL
              AND s.version = u.version
            """, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = states[0].State.StateName });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. states.Select(static s => s.State.N1)] });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. states.Select(static s => s.State.Payload)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. states.Select(static s => s.Version!.Value)] });
        var updated = await command.ExecuteNonQueryAsync(cancellationToken);
        if (updated != states.Count)
        {
            throw new InvalidOperationException($"{states.Count - updated} allocator state(s) changed while the load read them: is a silo running?");
        }
    }

    private async Task CopyResidentsAsync(IReadOnlyList<LoadedPerson> people, CancellationToken cancellationToken)
    {
        await using var copy = await _connection.BeginBinaryImportAsync(
            """
            COPY registry.resident (personal_id, version, full_name, name_key, birth_date, sex, birth_registration_province,
                permanent_residence_province, nationality, alive, death_date, superseded_by, changed_at,
                permanent_residence_commune, away_registered_until, residence_deletion_flagged_on,
                temporary_residence_province, temporary_residence_until) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var person in people)
        {
            var row = ResidentRow.From(person.Snapshot);
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(row.PersonalId, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.FullName, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.NameKey, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.BirthDate, NpgsqlDbType.Date, cancellationToken);
            await copy.WriteAsync(row.Sex, NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync(row.BirthRegistrationProvince, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(row.PermanentResidenceProvince, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(row.Nationality, NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync(row.Alive, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(copy, row.DeathDate, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(copy, row.SupersededBy, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(row.ChangedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(copy, row.PermanentResidenceCommune, NpgsqlDbType.Char, cancellationToken);
            await WriteNullableAsync(copy, row.AwayRegisteredUntil, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(copy, row.ResidenceDeletionFlaggedOn, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(copy, row.TemporaryResidenceProvince, NpgsqlDbType.Char, cancellationToken);
            await WriteNullableAsync(copy, row.TemporaryResidenceUntil, NpgsqlDbType.Date, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private async Task CopyResultsAsync(string loadId, IReadOnlyList<LoadedRowResult> results, CancellationToken cancellationToken)
    {
        await using var copy = await _connection.BeginBinaryImportAsync(
            "COPY registry.bulk_load_row (load_id, row_number, status, personal_id, result) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var result in results)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(loadId, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(result.RowNumber, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(BatchStatusNames.Name(result.Status), NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(copy, result.PersonalId, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(result.Result.ToJson(), NpgsqlDbType.Text, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }
}
