using Registry.Database.Schema;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Schema;

/// <summary>The schema is applied by versioned migrations, safely repeatable, and holds every query the providers need.</summary>
public sealed class MigrationTests
{
    /// <summary>Every key the 10.4.2 clustering, persistence, reminder and (10.4.2-alpha.1) stream providers look up by name.</summary>
    public static readonly string[] ProviderQueryKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        "QueueStreamMessageKey", "GetStreamMessagesKey", "ConfirmStreamMessagesKey", "FailStreamMessageKey",
        "EvictStreamMessagesKey", "EvictStreamDeadLettersKey",
    ];

    /// <summary>An empty database gets every migration; a second run applies nothing and changes nothing.</summary>
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_is_harmless()
    {
        await using var scratch = await ScratchDatabase.CreateEmptyAsync(nameof(MigrationTests));
        var database = scratch.ConnectionString;
        var first = SchemaMigrator.Apply(database);
        var queriesAfterFirst = await QueryCatalogAsync(database);

        var second = SchemaMigrator.Apply(database);

        Assert.Equal(SchemaMigrator.Known(), first);
        Assert.Empty(second);
        Assert.Equal(queriesAfterFirst, await QueryCatalogAsync(database));
    }

    /// <summary>The query catalog holds exactly the keys the providers use, each once.</summary>
    [Fact]
    public async Task The_query_catalog_holds_every_provider_query_key()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(MigrationTests));
        var database = scratch.ConnectionString;
        var keys = (await QueryCatalogAsync(database)).Select(row => row.Key).ToArray();
        Assert.Equal(ProviderQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A database migrated while migration 0012 existed (deleted since, its index re-added by 0009 under another name)
    /// holds no two identical indexes on the ledger once migrated to this release.
    /// </summary>
    [Fact]
    public async Task A_database_that_ran_the_deleted_0012_keeps_no_duplicate_ledger_index()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(MigrationTests));
        var database = scratch.ConnectionString;
        // Such a database: 0012's index and journal row are there, and the migrations from 0015 on (this release's) are not.
        await ExecuteAsync(database,
            """
            CREATE INDEX province_resident_change_departures_by_time
                ON registry.province_resident_change (recorded_at) INCLUDE (province_code, operation_id)
                WHERE reason = 'departure'
            """);
        await ExecuteAsync(database, "INSERT INTO public.schema_versions (scriptname, applied) VALUES ($1, now())",
            "Registry.Database.Migrations.0012_registry_migration_statistics.sql");
        await ExecuteAsync(database, "DELETE FROM public.schema_versions WHERE scriptname >= $1", "Registry.Database.Migrations.0015");

        var applied = SchemaMigrator.Apply(database);

        var indexes = await LedgerIndexesAsync(database);
        var duplicates = indexes.GroupBy(static index => index.Definition, StringComparer.Ordinal).Where(static group => group.Count() > 1)
            .Select(static group => string.Join(" = ", group.Select(static index => index.Name)));
        Assert.Empty(duplicates);
        Assert.Contains(applied, name => name.StartsWith("0015_", StringComparison.Ordinal));
    }

    // Each index of registry.province_resident_change with its definition, the index's own name taken out.
    private static async Task<List<(string Name, string Definition)>> LedgerIndexesAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = "registry" });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = "province_resident_change" });
        await using var reader = await command.ExecuteReaderAsync();
        var indexes = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            var name = reader.GetString(0);
            indexes.Add((name, reader.GetString(1).Replace($" {name} ", " ", StringComparison.Ordinal)));
        }

        return indexes;
    }

    private static async Task ExecuteAsync(string database, string sql, params string[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<KeyValuePair<string, string>>> QueryCatalogAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT querykey, querytext FROM orleansquery ORDER BY querykey", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<KeyValuePair<string, string>>();
        while (await reader.ReadAsync())
        {
            rows.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
