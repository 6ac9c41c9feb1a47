using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Registry.Database.Provinces;
using Registry.Database.Schema;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Schema;

/// <summary>
/// Migration 0027 gives a database that already holds ledger rows a checkpoint of each shard with rows, so that its
/// shards activate from checkpoints from the first start of the new silos, and it leaves rows written afterwards to the tail.
/// </summary>
public sealed class CounterCheckpointMigrationTests
{
    private const string Migration = "0027_registry_province_counter_checkpoints.sql";

    /// <summary>Every old row is in its shard's initial checkpoint, whose cells equal the full sum; a later row is read after it.</summary>
    [Fact]
    public async Task The_migration_checkpoints_the_rows_of_an_older_database()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(CounterCheckpointMigrationTests));
        var database = scratch.ConnectionString;
        await ExecuteAsync(database, AsBefore0027);
        await ExecuteAsync(database, OldRows);

        var applied = SchemaMigrator.Apply(database);

        Assert.Equal([Migration], applied);
        Assert.Equal(await CellsAsync(database, FullSum), await CellsAsync(database, CheckpointCells));
        Assert.Equal(16L, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM registry.province_counter_checkpoint"));
        await ExecuteAsync(database,
            "INSERT INTO registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason) VALUES ('after-0027', '001', 3, '001085000003', 1, 'birth')");
        await using var source = NpgsqlDataSource.Create(database);
        await using var ledger = new ProvinceLedger(source, NullLogger<ProvinceLedger>.Instance);
        var shard = await ledger.ReadShardAsync("001", 3);
        Assert.Equal(1, shard.ChangesAfterCheckpoint);
        Assert.Equal(await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM registry.province_resident_change WHERE province_code = '001' AND shard = 3"),
            shard.Totals.Changes.Sum(static reason => reason.Count));
        Assert.Equal(await TestDatabase.ScalarAsync<long>(database, "SELECT sum(change)::bigint FROM registry.province_resident_change WHERE province_code = '001' AND shard = 3"),
            shard.Totals.Residents.Sum(static cell => cell.Count));
    }

    // The schema as 0026 left it: what 0027 adds taken away, 0008's index back, and 0027 not in the journal.
    private const string AsBefore0027 =
        $"""
        DROP TABLE registry.province_counter_checkpoint_cell;
        DROP TABLE registry.province_counter_checkpoint;
        DROP INDEX registry.province_resident_change_by_shard_transaction;
        ALTER TABLE registry.province_resident_change DROP COLUMN transaction_id;
        CREATE INDEX province_resident_change_by_shard ON registry.province_resident_change (province_code, shard) INCLUDE (sex, birth_year, reason, change);
        DELETE FROM public.schema_versions WHERE scriptname = 'Registry.Database.Migrations.{Migration}';
        """;

    // 2,000 rows over both sexes, many birth years, four reasons and the 8 shards of two provinces, written as the ledger did.
    private const string OldRows =
        """
        INSERT INTO registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason)
        SELECT 'old-' || province || '-' || i, province, i % 8, province || (i % 4)::text || lpad((i % 100)::text, 2, '0') || lpad(i::text, 6, '0'),
               CASE WHEN i % 5 = 0 THEN -1 ELSE 1 END,
               (ARRAY['registration', 'birth', 'arrival', 'death'])[1 + i % 4]
        FROM generate_series(1, 1000) AS i, (VALUES ('001'), ('079')) AS provinces (province)
        """;

    private const string FullSum =
        """
        SELECT province_code, shard, sex, birth_year, reason, SUM(change)::bigint, COUNT(*)::bigint
        FROM registry.province_resident_change GROUP BY 1, 2, 3, 4, 5
        """;

    private const string CheckpointCells =
        "SELECT province_code, shard, sex, birth_year, reason, residents, changes FROM registry.province_counter_checkpoint_cell";

    private static async Task<List<string>> CellsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var cells = new List<string>();
        while (await reader.ReadAsync())
        {
            cells.Add($"{reader.GetString(0)}/{reader.GetInt16(1)} {reader.GetInt16(2)}/{reader.GetInt16(3)} {reader.GetString(4)}: {reader.GetInt64(5)} {reader.GetInt64(6)}");
        }

        cells.Sort(StringComparer.Ordinal);
        Assert.NotEmpty(cells);
        return cells;
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
