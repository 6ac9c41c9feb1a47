using Npgsql;
using Registry.Database.Schema;

namespace Registry.TestSupport;

/// <summary>
/// Scratch databases on the PostgreSQL that <c>cluster-config/test.sh</c> starts. Each fixture gets a database
/// of its own, created empty and brought to the current schema by the real migrator, so tests never see each
/// other's rows and every run proves the migrations.
/// </summary>
public static class TestDatabase
{
    /// <summary>
    /// The stored grain states that requests write, for "nothing changed" checks: every row of <c>orleansstorage</c> but
    /// those of the event stream (the publisher's position, the stream's subscriptions and producers), which change
    /// whenever the ledger grows, whatever a test does. The stream's queue rows live in tables of their own
    /// (<c>orleansstreammessage</c>, <c>orleansstreamdeadletter</c>, <c>orleansstreamcontrol</c>), never counted here.
    /// </summary>
    public const string RequestStates = "orleansstorage WHERE graintypestring NOT IN ('eventPublisher', 'PubSubRendezvousGrain')";

    /// <summary>Environment variable holding a connection string with the right to create databases.</summary>
    public const string ServerVariable = "REGISTRY_TEST_CONNECTION";

    /// <summary>The server connection string, or an error that says how to get one.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run the tests with cluster-config/test.sh, which starts a throw-away PostgreSQL and sets it.");

    /// <summary>Creates an empty database and returns its connection string; no migration is applied.</summary>
    public static async Task<string> CreateEmptyAsync(string purpose)
    {
        // At most 2 + 24 + 1 + 32 = 59 characters, inside PostgreSQL's 63.
        var name = $"t_{Sanitise(purpose)}_{Guid.NewGuid():N}";
        await using (var server = new NpgsqlConnection(ServerConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Creates a database and applies every migration.</summary>
    public static async Task<string> CreateMigratedAsync(string purpose)
    {
        var connectionString = await CreateEmptyAsync(purpose);
        SchemaMigrator.Apply(connectionString);
        return connectionString;
    }

    private const int DropAttempts = 10;

    /// <summary>Drops a database made by this class, closing connections still open to it.</summary>
    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server);
        // FORCE may not end an autovacuum worker that is analysing the database (it belongs to no role the registry role
        // is a member of: 42501). A worker ends within moments, so try again a few times before failing the fixture.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < DropAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    /// <summary>Runs a scalar query against <paramref name="connectionString"/>.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string Sanitise(string purpose) =>
        new string(purpose.ToLowerInvariant().Where(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)).ToArray()) is { Length: > 0 } clean
            ? clean[..Math.Min(clean.Length, 24)]
            : "db";
}
