using Npgsql;

namespace Registry.Database.Health;

/// <summary>Whether PostgreSQL answers: the statement behind the hosts' readiness checks.</summary>
public sealed class DatabaseProbe(NpgsqlDataSource database)
{
    /// <summary>Completes when PostgreSQL has answered a trivial query through the pool.</summary>
    /// <exception cref="NpgsqlException">PostgreSQL could not be reached or refused.</exception>
    /// <exception cref="TimeoutException">No connection within the pool's timeout.</exception>
    public async Task AnswerAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
