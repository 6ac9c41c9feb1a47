using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Registry.Contracts.Events;
using Registry.Grains;
using Registry.Grains.Residents;
using Registry.ServiceDefaults;
using Registry.Silo.Hosting;
using Xunit;

namespace Registry.TestSupport;

/// <summary>
/// In-process clusters configured like production silos: ADO.NET clustering, grain storage and reminders on
/// PostgreSQL through the silo host's own extension methods. Only ports and liveness timings differ.
/// </summary>
public static class RegistryTestCluster
{
    /// <summary>Service id of test clusters; clusters sharing it and a database share stored state.</summary>
    public const string ServiceId = "registry-tests";

    /// <summary>How often a batch's reminder resumes it in test clusters: within seconds after a silo is lost, not the production minute.</summary>
    public static readonly TimeSpan BatchReminderPeriod = TimeSpan.FromSeconds(3);

    /// <summary>How often the sweep of unfinished work runs in test clusters, so an interrupted change is finished within seconds.</summary>
    public static readonly TimeSpan UnfinishedWorkSweepPeriod = TimeSpan.FromSeconds(2);

    /// <summary>How long a change may stay unfinished before the sweep wakes its citizen, in test clusters.</summary>
    public static readonly TimeSpan UnfinishedWorkGracePeriod = TimeSpan.FromSeconds(1);

    /// <summary>How often a reorganisation's reminder resumes its run in test clusters.</summary>
    public static readonly TimeSpan ReorganisationReminderPeriod = TimeSpan.FromSeconds(3);

    /// <summary>After how long events a killed silo had taken from the stream's queue are offered again, in test clusters.</summary>
    public static readonly TimeSpan EventVisibilityTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The bound of a wait for the sweep of unfinished work to finish something (grace, then sweeps).</summary>
    public static TimeSpan UnfinishedWorkPatience => UnfinishedWorkGracePeriod + Eventually.Within(UnfinishedWorkSweepPeriod);

    /// <summary>How often a fast-liveness cluster probes silos and cleans up dead ones.</summary>
    public static readonly TimeSpan FastLivenessPeriod = TimeSpan.FromSeconds(1);

    private const string FastLivenessKey = "RegistryTests:FastLiveness";

    /// <summary>Builds (but does not start) a cluster of <paramref name="silos"/> silos on a migrated database.</summary>
    /// <param name="connectionString">A migrated database.</param>
    /// <param name="silos">Initial silo count.</param>
    /// <param name="fastLiveness">
    /// Declare killed silos dead within seconds and clean up dead entries right away, for tests that kill silos.
    /// </param>
    /// <param name="configure">Further configuration of the builder, e.g. a silo configurator replacing the clock.</param>
    public static TestCluster Build(string connectionString, short silos = 3, bool fastLiveness = false, Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = ServiceId;
        builder.Options.UseTestClusterMembership = false;
        // Real loopback sockets, not the TestingHost's in-memory transport: clients other than the cluster's own
        // (the API host) must be able to dial the gateways they read from the membership table.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [RegistryDatabase.ConnectionStringKey] = connectionString,
            [FastLivenessKey] = fastLiveness ? "true" : "false",
            ["Batches:ReminderPeriod"] = Text(BatchReminderPeriod),
            ["UnfinishedWork:SweepPeriod"] = Text(UnfinishedWorkSweepPeriod),
            ["UnfinishedWork:GracePeriod"] = Text(UnfinishedWorkGracePeriod),
            ["Reorganisation:ReminderPeriod"] = Text(ReorganisationReminderPeriod),
            [$"{EventStreamOptions.Section}:{nameof(EventStreamOptions.VisibilityTimeout)}"] = Text(EventVisibilityTimeout),
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Builds and starts a cluster.</summary>
    public static async Task<TestCluster> StartAsync(string connectionString, short silos = 3, bool fastLiveness = false, Action<TestClusterBuilder>? configure = null)
    {
        var cluster = Build(connectionString, silos, fastLiveness, configure);
        await cluster.DeployAsync();
        return cluster;
    }

    private static string Text(TimeSpan period) => period.ToString("c", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = RegistryDatabase.ConnectionString(siloBuilder.Configuration);
            siloBuilder.UseRegistryClustering(connectionString);
            siloBuilder.UseRegistryStorage(connectionString);
            // Before the grains' registrations, which keep a clock already registered.
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(ProposalGrain.ClockKey, new ProposalClock());
            siloBuilder.AddRegistryGrains(connectionString);
            // Below the one-minute production floor, so that reminder tests take seconds.
            siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            if (siloBuilder.Configuration.GetValue<bool>(FastLivenessKey))
            {
                siloBuilder.Configure<ClusterMembershipOptions>(options =>
                {
                    options.ProbeTimeout = FastLivenessPeriod;
                    options.NumMissedProbesLimit = 2;
                    options.NumVotesForDeathDeclaration = 1;
                    options.TableRefreshTimeout = FastLivenessPeriod;
                    options.IAmAliveTablePublishTimeout = FastLivenessPeriod;
                    options.DefunctSiloCleanupPeriod = FastLivenessPeriod;
                    options.DefunctSiloExpiration = FastLivenessPeriod;
                    options.DefunctSiloMinimumRetention = TimeSpan.Zero;
                });
            }
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        // The client subscribes to the registry's events, so it names the silos' stream provider with the same provider
        // type (ADO.NET, on the same database it finds gateways in) and the default of one queue, as silos have.
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder
                .AddAdoNetStreams(RegistryEvent.StreamProvider, options =>
                {
                    options.Invariant = RegistryDatabase.Invariant;
                    options.ConnectionString = RegistryDatabase.ConnectionString(configuration);
                })
                .UseAdoNetClustering(options =>
                {
                    options.Invariant = RegistryDatabase.Invariant;
                    options.ConnectionString = RegistryDatabase.ConnectionString(configuration);
                });
    }
}

/// <summary>A migrated database of its own and a running three-silo cluster on it, shared by one test collection.</summary>
public class RegistryClusterFixture : IAsyncLifetime
{
    /// <summary>The database's connection string.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>A client of the cluster.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>A service from the first silo's container.</summary>
    public T SiloService<T>(object? key = null) where T : notnull
    {
        var services = Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);
        return key is null ? services.GetRequiredService<T>() : services.GetRequiredKeyedService<T>(key);
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateMigratedAsync(GetType().Name);
        Cluster = await RegistryTestCluster.StartAsync(ConnectionString, configure: Configure);
    }

    /// <summary>Further configuration of the fixture's cluster before it starts; nothing by default.</summary>
    protected virtual void Configure(TestClusterBuilder builder)
    {
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (ConnectionString.Length > 0)
        {
            await TestDatabase.DropAsync(ConnectionString);
        }
    }
}
