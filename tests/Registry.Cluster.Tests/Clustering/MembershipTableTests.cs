using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Registry.ServiceDefaults;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Clustering;

/// <summary>A migrated database shared by the membership contract tests; each test uses a deployment id of its own.</summary>
public sealed class MembershipDatabase : IAsyncLifetime
{
    /// <summary>Connection string of the database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync() => ConnectionString = await TestDatabase.CreateMigratedAsync(nameof(MembershipDatabase));

    /// <inheritdoc />
    public Task DisposeAsync() => TestDatabase.DropAsync(ConnectionString);
}

/// <summary>
/// Our PostgreSQL membership queries meet the contract of the 10.4.2 ADO.NET clustering provider, driven through
/// the provider's own table class: versions move exactly once per change, stale writers change nothing, and
/// dead silos are cleaned up.
/// </summary>
public sealed class MembershipTableTests(MembershipDatabase database) : IClassFixture<MembershipDatabase>
{
    private readonly string _deployment = "membership-" + Guid.NewGuid().ToString("N");

    /// <summary>A new deployment has version 0 and no member.</summary>
    [Fact]
    public async Task A_new_deployment_starts_at_version_zero_without_members()
    {
        var table = await TableAsync();

        var data = await table.ReadAllAsync();

        Assert.Equal(0, data.Version.Version);
        Assert.Empty(data.Members);
    }

    /// <summary>Initialising twice keeps the version row as it is.</summary>
    [Fact]
    public async Task Initialising_an_existing_deployment_keeps_its_version()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1), (await table.ReadAllAsync()).Version.Next()));

        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);

        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);
    }

    /// <summary>Inserting a silo stores every field and bumps the version once.</summary>
    [Fact]
    public async Task Inserting_a_silo_stores_it_and_bumps_the_version_once()
    {
        var table = await TableAsync();
        var entry = Entry(1, SiloStatus.Joining);

        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        var (stored, _) = Assert.Single(data.Members);
        Assert.Equal(entry.SiloAddress, stored.SiloAddress);
        Assert.Equal(entry.Status, stored.Status);
        Assert.Equal(entry.SiloName, stored.SiloName);
        Assert.Equal(entry.HostName, stored.HostName);
        Assert.Equal(entry.ProxyPort, stored.ProxyPort);
        Assert.Equal(entry.StartTime, stored.StartTime);
        Assert.Equal(entry.IAmAliveTime, stored.IAmAliveTime);
    }

    /// <summary>An insert against a version that moved on is refused and changes nothing.</summary>
    [Fact]
    public async Task Inserting_with_a_stale_version_changes_nothing()
    {
        var table = await TableAsync();
        var read = (await table.ReadAllAsync()).Version;
        Assert.True(await table.InsertRowAsync(Entry(1), read.Next()));

        Assert.False(await table.InsertRowAsync(Entry(2), read.Next()));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    /// <summary>Inserting a silo that is already there is refused, and the version stays where it was.</summary>
    [Fact]
    public async Task Inserting_the_same_silo_twice_is_refused_without_bumping_the_version()
    {
        var table = await TableAsync();
        var entry = Entry(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        Assert.False(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);
    }

    /// <summary>An update with the current version changes status and suspicions and bumps the version.</summary>
    [Fact]
    public async Task Updating_a_silo_changes_its_status_and_suspicions()
    {
        var table = await TableAsync();
        var entry = Entry(1, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        var (row, etag) = Assert.Single((await table.ReadAllAsync()).Members);
        var voter = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 9999), 7);
        var voteTime = Truncate(DateTime.UtcNow);
        row.Status = SiloStatus.Active;
        row.SuspectTimes = [Tuple.Create(voter, voteTime)];

        Assert.True(await table.UpdateRowAsync(row, etag, (await table.ReadAllAsync()).Version.Next()));

        var data = await table.ReadAllAsync();
        Assert.Equal(2, data.Version.Version);
        var (updated, _) = Assert.Single(data.Members);
        Assert.Equal(SiloStatus.Active, updated.Status);
        var (suspecter, time) = Assert.Single(updated.SuspectTimes!);
        Assert.Equal(voter, suspecter);
        Assert.Equal(voteTime, time);
    }

    /// <summary>An update against a stale version is refused and leaves the row and the version as they were.</summary>
    [Fact]
    public async Task Updating_with_a_stale_version_changes_nothing()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Joining), (await table.ReadAllAsync()).Version.Next()));
        var before = await table.ReadAllAsync();
        var (row, etag) = Assert.Single(before.Members);
        Assert.True(await table.InsertRowAsync(Entry(2), before.Version.Next()));
        row.Status = SiloStatus.Active;

        Assert.False(await table.UpdateRowAsync(row, etag, before.Version.Next()));

        var after = await table.ReadAllAsync();
        Assert.Equal(2, after.Version.Version);
        Assert.Equal(SiloStatus.Joining, after.Members.Single(m => m.Item1.SiloAddress.Equals(row.SiloAddress)).Item1.Status);
    }

    /// <summary>Updating a silo that is not in the table is refused and does not leave a bumped version behind.</summary>
    [Fact]
    public async Task Updating_a_missing_silo_leaves_the_version_alone()
    {
        var table = await TableAsync();
        var data = await table.ReadAllAsync();
        var ghost = Entry(1);

        Assert.False(await table.UpdateRowAsync(ghost, data.Version.VersionEtag, data.Version.Next()));

        Assert.Equal(0, (await table.ReadAllAsync()).Version.Version);
    }

    /// <summary>A heartbeat moves IAmAliveTime forward only and does not change the table version.</summary>
    [Fact]
    public async Task A_heartbeat_moves_IAmAliveTime_forward_without_a_version_change()
    {
        var table = await TableAsync();
        var entry = Entry(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        var later = entry.IAmAliveTime.AddSeconds(30);
        var earlier = entry.IAmAliveTime.AddSeconds(-30);

        await table.UpdateIAmAliveAsync(WithAliveTime(entry, later));
        await table.UpdateIAmAliveAsync(WithAliveTime(entry, earlier));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(later, Assert.Single(data.Members).Item1.IAmAliveTime);
    }

    /// <summary>Reading one silo's row still returns the table version, and nothing else when it is absent.</summary>
    [Fact]
    public async Task Reading_one_silo_returns_it_with_the_table_version()
    {
        var table = await TableAsync();
        var entry = Entry(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(2), (await table.ReadAllAsync()).Version.Next()));

        var one = await table.ReadRowAsync(entry.SiloAddress);
        var none = await table.ReadRowAsync(Entry(3).SiloAddress);

        Assert.Equal(2, one.Version.Version);
        Assert.Equal(entry.SiloAddress, Assert.Single(one.Members).Item1.SiloAddress);
        Assert.Equal(2, none.Version.Version);
        Assert.Empty(none.Members);
    }

    /// <summary>Clients see as gateways only the active silos that opened a gateway port.</summary>
    [Fact]
    public async Task Gateways_are_the_active_silos_with_a_gateway_port()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active, proxyPort: 31001), (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(2, SiloStatus.Joining, proxyPort: 31002), (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(3, SiloStatus.Active, proxyPort: 0), (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(4, SiloStatus.Dead, proxyPort: 31004), (await table.ReadAllAsync()).Version.Next()));
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = RegistryDatabase.Invariant, ConnectionString = database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = _deployment, ServiceId = RegistryTestCluster.ServiceId }));
        await gateways.InitializeGatewayListProvider();

        var uris = await gateways.GetGateways();

        var gateway = Assert.Single(uris);
        Assert.Equal(31001, gateway.Port);
    }

    /// <summary>The provider's clean-up removes dead silos older than the cut-off and nothing else.</summary>
    [Fact]
    public async Task Cleanup_removes_dead_silos_older_than_the_cutoff_only()
    {
        var table = await TableAsync();
        var longAgo = Truncate(DateTime.UtcNow.AddHours(-2));
        var oldDead = Entry(1, SiloStatus.Dead, startTime: longAgo);
        var oldActive = Entry(2, SiloStatus.Active, startTime: longAgo);
        var recentDead = Entry(3, SiloStatus.Dead);
        foreach (var entry in new[] { oldDead, oldActive, recentDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));

        var remaining = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.DoesNotContain(oldDead.SiloAddress, remaining);
        Assert.Contains(oldActive.SiloAddress, remaining);
        Assert.Contains(recentDead.SiloAddress, remaining);
        Assert.Equal(3, (await table.ReadAllAsync()).Version.Version);
    }

    /// <summary>The bulk clean-up query (used when the per-silo one is absent) keeps active and recent silos too.</summary>
    [Fact]
    public async Task Bulk_cleanup_query_removes_only_dead_silos_older_than_the_cutoff()
    {
        var table = await TableAsync();
        var longAgo = Truncate(DateTime.UtcNow.AddHours(-2));
        var oldDead = Entry(1, SiloStatus.Dead, startTime: longAgo);
        Assert.True(await table.InsertRowAsync(oldDead, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(2, SiloStatus.Active, startTime: longAgo), (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(3, SiloStatus.Dead), (await table.ReadAllAsync()).Version.Next()));

        await using var data = NpgsqlDataSource.Create(database.ConnectionString);
        var text = (string)(await data.CreateCommand("SELECT querytext FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntriesKey'").ExecuteScalarAsync())!;
        await using var cleanup = data.CreateCommand(text);
        cleanup.Parameters.AddWithValue("DeploymentId", _deployment);
        cleanup.Parameters.AddWithValue("IAmAliveTime", DateTime.UtcNow.AddHours(-1));
        await cleanup.ExecuteNonQueryAsync();

        var remaining = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).ToList();
        Assert.Equal(2, remaining.Count);
        Assert.DoesNotContain(oldDead.SiloAddress, remaining);
    }

    /// <summary>Deleting a deployment removes its members and version row and leaves other deployments alone.</summary>
    [Fact]
    public async Task Deleting_a_deployment_leaves_other_deployments_alone()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1), (await table.ReadAllAsync()).Version.Next()));
        var other = new MembershipTableTests(database);
        var otherTable = await other.TableAsync();
        Assert.True(await otherTable.InsertRowAsync(Entry(1), (await otherTable.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(_deployment);

        var remaining = await TestDatabase.ScalarAsync<long>(database.ConnectionString,
            "SELECT count(*) FROM orleansmembershipversiontable WHERE deploymentid = $1", _deployment);
        Assert.Equal(0, remaining);
        Assert.Single((await otherTable.ReadAllAsync()).Members);
    }

    private async Task<AdoNetClusteringTable> TableAsync()
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = _deployment, ServiceId = RegistryTestCluster.ServiceId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = RegistryDatabase.Invariant, ConnectionString = database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int silo, SiloStatus status = SiloStatus.Active, int proxyPort = 30000, DateTime? startTime = null)
    {
        var start = startTime ?? Truncate(DateTime.UtcNow);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + silo), 1000 + silo),
            Status = status,
            SiloName = $"silo-{silo}",
            HostName = "test-host",
            ProxyPort = proxyPort,
            StartTime = start,
            IAmAliveTime = start,
            SuspectTimes = [],
        };
    }

    private static MembershipEntry WithAliveTime(MembershipEntry entry, DateTime aliveTime)
    {
        var copy = Entry(0);
        copy.SiloAddress = entry.SiloAddress;
        copy.IAmAliveTime = aliveTime;
        return copy;
    }

    // The table keeps milliseconds (timestamptz(3)); compare like with like.
    private static DateTime Truncate(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
