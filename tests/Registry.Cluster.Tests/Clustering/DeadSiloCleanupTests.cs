using Registry.TestSupport;

namespace Registry.Cluster.Tests.Clustering;

/// <summary>A silo that dies without saying goodbye is declared dead and then removed from the membership table.</summary>
public sealed class DeadSiloCleanupTests
{
    /// <summary>Killing one of three silos leaves two rows, both active, once the cluster has noticed and cleaned up.</summary>
    [Fact]
    public async Task A_killed_silo_is_removed_from_the_membership_table()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(DeadSiloCleanupTests));
        var database = scratch.ConnectionString;
        await using var cluster = await RegistryTestCluster.StartAsync(database, silos: 3, fastLiveness: true);
        var victim = cluster.Silos[^1];
        var port = victim.SiloAddress.Endpoint.Port;
        Assert.Equal(1L, await RowsForPortAsync(database, port));

        await cluster.KillSiloAsync(victim);

        // The fast-liveness cluster probes, declares and cleans up every second; declaring death comes first.
        await Eventually.TrueAsync(async () => await RowsForPortAsync(database, port) == 0,
            Eventually.Within(RegistryTestCluster.FastLivenessPeriod) * 2, "the killed silo's row is cleaned up");
        Assert.Equal(2L, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansmembershiptable WHERE status = 3"));
    }

    private static Task<long> RowsForPortAsync(string database, int port) =>
        TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansmembershiptable WHERE port = $1", port);
}
