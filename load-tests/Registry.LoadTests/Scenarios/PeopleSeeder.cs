using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Registry.Domain.Residents;

namespace Registry.LoadTests.Scenarios;

/// <summary>What seeding did.</summary>
/// <param name="Before">People in the table before.</param>
/// <param name="Inserted">People this call inserted (those already there were left as they were).</param>
/// <param name="Loading">Time to generate and load them.</param>
/// <param name="Vacuum">Time of the VACUUM ANALYZE after loading.</param>
internal sealed record SeedResult(long Before, long Inserted, TimeSpan Loading, TimeSpan Vacuum);

/// <summary>
/// Fills <c>registry.resident</c> straight from synthetic people, without grains or the projection: the read
/// model of a registry that has been running for years, so that searches are measured on a realistic table.
/// </summary>
internal static class PeopleSeeder
{
    /// <summary>The seed data always comes from this stream, so a second run tops up instead of adding others.</summary>
    public const int DataSeed = 20_261_128;

    /// <summary>
    /// People per transaction: large enough for COPY to stream at full speed, small enough that an interrupted
    /// seeding keeps most of its work and never holds locks for long.
    /// </summary>
    private const int ChunkSize = 100_000;

    private const string Columns =
        "personal_id, version, full_name, name_key, birth_date, sex, birth_registration_province, " +
        "permanent_residence_province, nationality, alive, death_date, superseded_by, changed_at";

    /// <summary>
    /// Makes the table hold at least <paramref name="people"/> people. Generates the same people every time and
    /// inserts those not there yet, so running it again, or with a larger count, is harmless.
    /// </summary>
    public static async Task<SeedResult> SeedAsync(NpgsqlDataSource database, int people, TextWriter progress, CancellationToken cancellationToken)
    {
        var before = await CountAsync(database, cancellationToken);
        if (before >= people)
        {
            return new SeedResult(before, 0, TimeSpan.Zero, TimeSpan.Zero);
        }

        var loading = Stopwatch.StartNew();
        var generator = new SyntheticPeople(new Random(DataSeed), DataSeed);
        var inserted = 0L;
        for (var done = 0; done < people;)
        {
            var chunk = Math.Min(ChunkSize, people - done);
            inserted += await LoadChunkAsync(database, Enumerable.Range(0, chunk).Select(_ => generator.Next()), cancellationToken);
            done += chunk;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  seeded {done:N0}/{people:N0} people ({inserted:N0} new) in {loading.Elapsed.TotalSeconds:F1} s"));
        }

        loading.Stop();

        // Statistics for the planner and a visibility map for index-only scans, as autovacuum would leave a table
        // that has been in use for a while; measuring searches before it would measure a table nobody has.
        var vacuum = Stopwatch.StartNew();
        await using (var command = database.CreateCommand("VACUUM (ANALYZE) registry.resident"))
        {
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SeedResult(before, inserted, loading.Elapsed, vacuum.Elapsed);
    }

    /// <summary>Rows of the table.</summary>
    public static async Task<long> CountAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM registry.resident");
        command.CommandTimeout = 0;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Binary COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING: COPY cannot skip rows that
    /// already exist, and this keeps a top-up run from failing on them.
    /// </summary>
    private static async Task<long> LoadChunkAsync(NpgsqlDataSource database, IEnumerable<SyntheticPerson> people, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMPORARY TABLE seed_resident (LIKE registry.resident INCLUDING DEFAULTS INCLUDING GENERATED) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY seed_resident ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var person in people)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(person.Number.Value, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(person.FullName, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(NameFolding.Fold(person.FullName), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(person.BirthDate, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync((short)person.Sex, NpgsqlDbType.Smallint, cancellationToken);
                await copy.WriteAsync(person.BirthProvince, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(person.ResidenceProvince, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync((short)person.Nationality, NpgsqlDbType.Smallint, cancellationToken);
                await copy.WriteAsync(person.DeathDate is null, NpgsqlDbType.Boolean, cancellationToken);
                if (person.DeathDate is { } died)
                {
                    await copy.WriteAsync(died, NpgsqlDbType.Date, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }

                if (person.SupersededBy is { } replacement)
                {
                    await copy.WriteAsync(replacement.Value, NpgsqlDbType.Char, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }

                await copy.WriteAsync(person.ChangedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        long inserted;
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO registry.resident ({Columns}) SELECT {Columns} FROM seed_resident ON CONFLICT (personal_id) DO NOTHING", connection, transaction))
        {
            insert.CommandTimeout = 0;
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }
}
