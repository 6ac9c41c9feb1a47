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
