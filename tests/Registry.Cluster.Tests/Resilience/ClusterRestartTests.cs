using Registry.Cluster.Tests.Probes;
using Registry.Contracts;
using Registry.Contracts.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Resilience;

/// <summary>
/// What the cluster keeps across a full restart: every silo stopped, new silos started on the same database.
/// Each test has a database of its own.
/// </summary>
public sealed class ClusterRestartTests
{
    // The probe reminder is due well after the first cluster stops, so that no tick can come from it.
    private static readonly TimeSpan Due = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    /// <summary>A registered person, and their province's count, are all still there after a full cluster restart.</summary>
    [Fact]
    public async Task A_registered_person_survives_a_full_cluster_restart()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(ClusterRestartTests));
        var database = scratch.ConnectionString;
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), "Đặng Thùy Trâm", new DateOnly(1942, 11, 26), Sex.Female, "001") { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
        ResidentRecord registered;
        long residents;
        await using (var first = await RegistryTestCluster.StartAsync(database))
        {
            registered = Assert.IsType<Registered>(await first.Client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
            residents = (await first.Client.Province("001").GetCountsAsync()).Residents;
            await first.StopAllSilosAsync();
        }

        await using var second = await RegistryTestCluster.StartAsync(database);

        Assert.Equal(registered, await second.Client.Citizen(registered.PersonalIdNumber).GetAsync());
        Assert.Equal(1, residents);
        Assert.Equal(residents, (await second.Client.Province("001").GetCountsAsync()).Residents);
        var replay = Assert.IsType<Registered>(await second.Client.Registration(command.IdempotencyKey).RegisterAsync(command));
        Assert.True(replay.Replayed);
        Assert.Equal(registered, replay.Resident);
    }

    /// <summary>A reminder registered before every silo stopped fires on the silos started afterwards.</summary>
    [Fact]
    public async Task A_reminder_fires_after_a_full_cluster_restart()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(ClusterRestartTests));
        var database = scratch.ConnectionString;
        var key = Guid.NewGuid().ToString("N");
        await using (var first = await RegistryTestCluster.StartAsync(database, silos: 2))
        {
            await first.Client.GetGrain<IReminderProbeGrain>(key).StartAsync(Due, Period);
            Assert.Equal(0, await first.Client.GetGrain<IReminderProbeGrain>(key).GetTicksAsync());
            await first.StopAllSilosAsync();
        }

        await using var second = await RegistryTestCluster.StartAsync(database, silos: 2);
        var probe = second.Client.GetGrain<IReminderProbeGrain>(key);
        await Eventually.TrueAsync(async () => await probe.GetTicksAsync() > 0, Due + Eventually.Within(Period), "the reminder fires after the restart");
        await probe.StopAsync();
    }
}
