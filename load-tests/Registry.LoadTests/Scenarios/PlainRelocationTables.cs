using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Registry.LoadTests.Scenarios;

/// <summary>A province's counter next to the people who live there, as the exactness check found them.</summary>
/// <param name="Code">Province code; a code found only among the people (not in the province table) has no counter row.</param>
/// <param name="Counter"><c>province.residents</c>, or null when the province has no row.</param>
/// <param name="People"><c>count(*)</c> of the people whose <c>province_code</c> it is.</param>
internal sealed record ProvinceCount(string Code, long? Counter, long People)
{
    public long Drift => (Counter ?? 0) - People;
}

/// <summary>What the exactness check found: every province's counter against a count of its people.</summary>
internal sealed record ExactnessCheck(long People, long CounterSum, IReadOnlyList<ProvinceCount> Provinces)
{
    public IReadOnlyList<ProvinceCount> Drifting => [.. Provinces.Where(static province => province.Drift != 0 || province.Counter is null)];

    public bool IsExact => CounterSum == People && Drifting.Count == 0;
}

/// <summary>
/// The plain design's own tables in schema <c>plain_relocation</c>, beside the registry's and never touching them: a
/// person row with a current address, and one counter row per province, as a team would model a registry without
/// grains. This is a load test's scaffolding, not the registry's schema, so set-up creates it (idempotently) instead
/// of a migration.
/// </summary>
internal static class PlainRelocationTables
{
    public const string Schema = "plain_relocation";

    /// <summary>People per COPY transaction, as <see cref="PeopleSeeder"/>.</summary>
    private const int ChunkSize = 100_000;

    private const string Columns = "personal_id, province_code, commune_code, address, moved_at";

    // The old province comes back from the same statement that locks and updates the person, so two moves of one
    // person can never both decrement the province they started from. PostgreSQL 15 has no OLD in RETURNING; the
    // subquery's FOR UPDATE is the select-for-update a team would otherwise send as a statement of its own.
    private const string MovePersonSql =
        """
        UPDATE plain_relocation.person AS person
        SET province_code = $2, commune_code = $3, address = $4, moved_at = now()
        FROM (SELECT personal_id, province_code FROM plain_relocation.person WHERE personal_id = $1 FOR UPDATE) AS before
        WHERE person.personal_id = before.personal_id
        RETURNING before.province_code
        """;

    private const string LeaveSql = "UPDATE plain_relocation.province SET residents = residents - 1 WHERE code = $1";
    private const string ArriveSql = "UPDATE plain_relocation.province SET residents = residents + 1 WHERE code = $1";

    /// <summary>Creates the schema and both tables unless they exist.</summary>
    public static async Task CreateAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            CREATE SCHEMA IF NOT EXISTS plain_relocation;
            CREATE TABLE IF NOT EXISTS plain_relocation.person (
                personal_id char(12) PRIMARY KEY,
                province_code char(3) NOT NULL,
                commune_code char(5) NOT NULL,
                address text,
                moved_at timestamptz
            );
            CREATE TABLE IF NOT EXISTS plain_relocation.province (
                code char(3) PRIMARY KEY,
                residents bigint NOT NULL
            );
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes everyone an earlier run moved (<c>moved_at</c> set), so that seeding puts them back in their home
    /// province: every run, of this design or another, starts from the same population, evenly spread, instead of
    /// from wherever the last run left the hot cities. Returns how many were deleted.
    /// </summary>
    public static async Task<long> DeleteMovedAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM plain_relocation.person WHERE moved_at IS NOT NULL");
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Makes <c>person</c> hold people 0 to <paramref name="people"/> − 1 of <see cref="RelocationWorkload"/>, each in
    /// their home province; inserts those not there yet.
    /// </summary>
    public static async Task<SeedResult> SeedAsync(NpgsqlDataSource database, int people, TextWriter progress, CancellationToken cancellationToken)
    {
        var before = await ScalarAsync(database, "SELECT count(*) FROM plain_relocation.person", cancellationToken);
        if (before >= people)
        {
            return new SeedResult(before, 0, TimeSpan.Zero, TimeSpan.Zero);
        }

        var loading = Stopwatch.StartNew();
        var inserted = 0L;
        for (var from = 0; from < people; from += ChunkSize)
        {
            var to = Math.Min(people, from + ChunkSize);
            inserted += await LoadChunkAsync(database, from, to, cancellationToken);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  seeded {to:N0}/{people:N0} people ({inserted:N0} new) in {loading.Elapsed.TotalSeconds:F1} s"));
        }

        return new SeedResult(before, inserted, loading.Elapsed, TimeSpan.Zero);
    }

    /// <summary>
    /// VACUUM (ANALYZE) of both tables: a run leaves a dead version of every row it updated, and each run should start
    /// from the table a registry would have, not from the last run's garbage. Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> VacuumAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var vacuum = Stopwatch.StartNew();
        await using var command = database.CreateCommand("VACUUM (ANALYZE) plain_relocation.person, plain_relocation.province");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return vacuum.Elapsed;
    }

    /// <summary>
    /// Sets every province's counter to the number of people living there, so a run starts exact whatever came before
    /// (an interrupted seeding, a run cut off by Ctrl+C). The 34 provinces always have a row, empty or not.
    /// </summary>
    public static async Task RecountAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            INSERT INTO plain_relocation.province (code, residents)
            SELECT code, coalesce(counted.people, 0)
            FROM unnest($1::char(3)[]) AS code
            LEFT JOIN (SELECT province_code, count(*) AS people FROM plain_relocation.person GROUP BY province_code) AS counted
                ON counted.province_code = code
            ON CONFLICT (code) DO UPDATE SET residents = excluded.residents
            """);
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. RelocationWorkload.Provinces] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Where people 0 to <paramref name="people"/> − 1 live now, as indexes into <see cref="RelocationWorkload.Provinces"/>.</summary>
    /// <exception cref="ScenarioSetUpException">One of them is missing, or lives outside the 34 provinces.</exception>
    public static async Task<byte[]> ReadProvincesAsync(NpgsqlDataSource database, int people, CancellationToken cancellationToken)
    {
        var index = RelocationWorkload.Provinces
            .Select(static (code, at) => (code, at))
            .ToDictionary(static entry => entry.code, static entry => (byte)entry.at, StringComparer.Ordinal);
        var provinces = new byte[people];
        var found = 0;
        await using var command = database.CreateCommand("SELECT personal_id, province_code FROM plain_relocation.person");
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!RelocationWorkload.TryPersonOf(reader.GetString(0), out var person) || person >= people)
            {
                continue;
            }

            var code = reader.GetString(1);
            provinces[person] = index.TryGetValue(code, out var at)
                ? at
                : throw new ScenarioSetUpException($"Person {reader.GetString(0)} lives in '{code}', which is not one of the 34 provinces of 2025.");
            found++;
        }

        return found == people
            ? provinces
            : throw new ScenarioSetUpException(string.Create(CultureInfo.InvariantCulture,
                $"plain_relocation.person holds {found:N0} of the {people:N0} people to move; seeding did not complete."));
    }

    /// <summary>Every province's counter against <c>count(*)</c> of its people, and the sum against all people.</summary>
    public static async Task<ExactnessCheck> CheckAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            SELECT coalesce(province.code, counted.province_code), province.residents, coalesce(counted.people, 0)
            FROM plain_relocation.province AS province
            FULL JOIN (SELECT province_code, count(*) AS people FROM plain_relocation.person GROUP BY province_code) AS counted
                ON counted.province_code = province.code
            ORDER BY 1
            """);
        command.CommandTimeout = 0;
        var provinces = new List<ProvinceCount>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                provinces.Add(new ProvinceCount(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        var people = await ScalarAsync(database, "SELECT count(*) FROM plain_relocation.person", cancellationToken);
        return new ExactnessCheck(people, provinces.Sum(static province => province.Counter ?? 0), provinces);
    }

    /// <summary>
    /// One attempt at a move of the plain design (see <see cref="RelocateSqlScenario"/>): one transaction that updates the
    /// person's row and the two provinces' counters, in code order when <paramref name="orderedCounters"/>. Returns the province the person's row held before when it committed, else why not.
    /// Anything thrown leaves the transaction uncommitted, and disposing it rolls it back.
    /// </summary>
    public static async Task<(string? From, RequestOutcome? Refused)> MoveAsync(NpgsqlDataSource database, Relocation move, bool orderedCounters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // No isolation level given: BEGIN at the server's default, read committed, as most teams leave it.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        string? from;
        await using (var movePerson = new NpgsqlCommand(MovePersonSql, connection, transaction))
        {
            movePerson.Parameters.Add(Char(move.PersonalId));
            movePerson.Parameters.Add(Char(move.To));
            movePerson.Parameters.Add(Char(move.Commune));
            movePerson.Parameters.Add(new NpgsqlParameter<string> { TypedValue = move.Address });
            from = (string?)await movePerson.ExecuteScalarAsync(cancellationToken);
        }

        if (from is null)
        {
            return (null, RequestOutcome.ContractBreach("person not found", move.PersonalId));
        }

        (string Sql, string Code)[] counters = [(LeaveSql, from), (ArriveSql, move.To)];
        if (orderedCounters && string.CompareOrdinal(from, move.To) > 0)
        {
            counters.AsSpan().Reverse();
        }

        foreach (var (sql, code) in counters)
        {
            await using var counter = new NpgsqlCommand(sql, connection, transaction);
            counter.Parameters.Add(Char(code));
            if (await counter.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return (null, RequestOutcome.ContractBreach("province without a counter row", code));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (from, null);
    }

    /// <summary>A bpchar parameter: compared with a char(n) key, a text parameter would cast the column and miss its index.</summary>
    private static NpgsqlParameter<string> Char(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Char };

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.CommandTimeout = 0;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Binary COPY into a temporary table, then INSERT ... ON CONFLICT DO NOTHING, as <see cref="PeopleSeeder"/> does.</summary>
    private static async Task<long> LoadChunkAsync(NpgsqlDataSource database, int from, int to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMPORARY TABLE seed_person (LIKE plain_relocation.person) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY seed_person ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var person = from; person < to; person++)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(RelocationWorkload.PersonalIdOf(person), NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(RelocationWorkload.HomeProvinceOf(person), NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(RelocationWorkload.HomeCommuneOf(person), NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"Số {(person % 399) + 1}, tổ {(person % 59) + 1}"), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteNullAsync(cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        long inserted;
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO plain_relocation.person ({Columns}) SELECT {Columns} FROM seed_person ON CONFLICT (personal_id) DO NOTHING", connection, transaction))
        {
            insert.CommandTimeout = 0;
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }
}
