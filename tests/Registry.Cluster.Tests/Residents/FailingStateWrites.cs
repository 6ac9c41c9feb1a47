using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Registry.Contracts.Identity;
using Registry.Grains;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>A citizen's state write that fails the way a lost connection makes it fail, while everything else works.</summary>
internal static class FailingStateWrites
{
    /// <summary>
    /// Runs <paramref name="call"/> while <paramref name="person"/>'s stored state is locked, and breaks the connection of
    /// the state write that waits on the lock: the write fails, and the call with it.
    /// </summary>
    public static async Task OfCitizenAsync(string connectionString, IClusterClient client, PersonalIdNumber person, Func<Task> call)
    {
        await using var blocker = new Npgsql.NpgsqlConnection(connectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand(
            "SELECT 1 FROM orleansstorage WHERE graintypestring = $1 AND convert_from(payloadbinary, 'UTF8') LIKE $2 FOR UPDATE", blocker, transaction))
        {
            // A numeric key is stored as numbers, not text: the person's row is found by its payload.
            lockRow.Parameters.Add(new Npgsql.NpgsqlParameter { Value = RegistryStorage.CitizenState });
            lockRow.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"{{\"resident\":{{\"personalIdNumber\":\"{person.Value}\"%" });
            Assert.Equal(1, await lockRow.ExecuteScalarAsync());
        }

        var calling = call();
        var waiter = await WaitForLockWaiterAsync(connectionString, client, blocker.ProcessID);
        await TestDatabase.ScalarAsync<bool>(connectionString, "SELECT pg_terminate_backend($1)", waiter);
        await Assert.ThrowsAnyAsync<Exception>(() => calling);
        await transaction.RollbackAsync();
    }

    // The backend (not the blocker itself) that waits on a lock the blocker holds: the state write. The call reaches
    // the write within Orleans' response timeout or not at all.
    private static async Task<int> WaitForLockWaiterAsync(string connectionString, IClusterClient client, int blocker) =>
        await Eventually.ValueAsync(
            () => TestDatabase.ScalarAsync<int>(connectionString,
                "SELECT coalesce(min(pid), 0) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", blocker),
            static pid => pid != 0, client.ServiceProvider.GetRequiredService<IOptions<Orleans.Configuration.MessagingOptions>>().Value.ResponseTimeout,
            "a state write waits on the locked citizen");
}
