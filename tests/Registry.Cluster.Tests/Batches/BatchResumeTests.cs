using System.Globalization;
using Registry.Contracts;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Batches;

/// <summary>A batch survives the loss of the silo running it. Each test has a database and a cluster of its own.</summary>
public sealed class BatchResumeTests
{
    private const int Rows = 3_000;

    /// <summary>
    /// The silo holding the batch grain is killed mid-batch; the reminder resumes the batch on another silo, every row
    /// gets exactly one result, and each registration happens once: as many distinct numbers, ledger rows and
    /// province residents as rows.
    /// </summary>
    [Fact]
    public async Task A_batch_resumes_after_its_silo_is_killed_and_registers_each_person_once()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BatchResumeTests));
        var database = scratch.ConnectionString;
        await using var cluster = await RegistryTestCluster.StartAsync(database, silos: 3, fastLiveness: true);
        var batchId = StoredBatches.NewId("kill");
        await StoredBatches.StoreAsync(database, batchId, TestActors.Officer("079"), "079",
            [.. Enumerable.Range(1, Rows).Select(i => string.Create(CultureInfo.InvariantCulture,
                $$"""{"kind":"registration","fullName":"Nguyễn Văn Số {{i}}","birthDate":"1985-06-{{1 + i % 28:00}}","sex":"male","birthRegistrationProvince":"079"}"""))]);
        var batch = cluster.Client.Batch(batchId);
        await batch.StartAsync();

        // Mid-batch: some rows done, most still pending.
        await Eventually.TrueAsync(async () => Rows - await StoredBatches.CountAsync(database, batchId, "pending") >= 200,
            Eventually.Within(RegistryTestCluster.BatchReminderPeriod), "the batch gets going");

        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(batch);
        var victim = cluster.Silos.Single(silo => silo.SiloAddress.Equals(host));
        await cluster.KillSiloAsync(victim);
        var pendingAtKill = await StoredBatches.CountAsync(database, batchId, "pending");

        await StoredBatches.WaitUntilCompletedAsync(database, batchId, TimeSpan.FromSeconds(240));

        Assert.True(pendingAtKill > 0, "The batch finished before its silo was killed; the test proved nothing.");
        var rows = await StoredBatches.RowsAsync(database, batchId);
        Assert.Equal(Enumerable.Range(1, Rows), rows.Select(row => row.RowNumber));
        Assert.All(rows, row => Assert.Equal("applied", row.Status));
        Assert.Equal(Rows, rows.Select(row => row.Number()).Distinct().Count());
        Assert.Equal(Rows, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM registry.province_resident_change WHERE province_code = '079'"));
        Assert.Equal(Rows, (await cluster.Client.Province("079").GetCountsAsync()).Residents);
        Assert.NotEqual(host, await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(batch));
    }
}
