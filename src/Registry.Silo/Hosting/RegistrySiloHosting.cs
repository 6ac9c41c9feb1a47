using Orleans.Configuration;
using Orleans.Dashboard;
using Registry.Database;
using Registry.Grains;
using Registry.Grains.Batches;
using Registry.Grains.Events;
using Registry.Grains.Reorganisation;
using Registry.Grains.ResidenceSweep;
using Registry.Grains.Resumption;
using Registry.ServiceDefaults;
using Registry.Silo.Storage;

namespace Registry.Silo.Hosting;

/// <summary>How a registry silo is put together. Test clusters use the same pieces as production.</summary>
public static class RegistrySiloHosting
{
    /// <summary>Runs an Orleans silo in this host: PostgreSQL clustering, storage and reminders, and the dashboard.</summary>
    public static WebApplicationBuilder AddRegistrySilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = RegistryDatabase.ConnectionString(builder.Configuration);
        var endpointSection = builder.Configuration.GetSection(SiloEndpointOptions.Section);
        builder.Services.AddOptions<SiloEndpointOptions>().Bind(endpointSection).ValidateDataAnnotations().ValidateOnStart();
        var endpoints = endpointSection.Get<SiloEndpointOptions>() ?? new SiloEndpointOptions();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(builder.Configuration.GetSection("Orleans"));
            // Optional, for operators and fault tests: how fast a dead silo is declared dead (Silo:Membership:*), and
            // the shortest reminder period (Silo:Reminders:MinimumReminderPeriod); Orleans' defaults otherwise. Not under
            // "Orleans": Orleans reads Orleans:Reminders and the like as provider definitions.
            silo.Configure<ClusterMembershipOptions>(endpointSection.GetSection("Membership"));
            silo.Configure<ReminderOptions>(endpointSection.GetSection("Reminders"));
            silo.Configure<SiloOptions>(options => options.SiloName = endpoints.Name);
            silo.ConfigureEndpoints(endpoints.ParseAdvertisedIP(), endpoints.SiloPort, endpoints.GatewayPort, endpoints.ListenOnAnyHostAddress);
            silo.UseRegistryClustering(connectionString);
            silo.UseRegistryStorage(connectionString);
            silo.AddDashboard(options => options.CounterUpdateIntervalMs = 2000);
        });
        return builder;
    }

    /// <summary>Membership in PostgreSQL: silos find each other, and clients find gateways, through it.</summary>
    public static ISiloBuilder UseRegistryClustering(this ISiloBuilder silo, string connectionString) =>
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = RegistryDatabase.Invariant;
            options.ConnectionString = connectionString;
        });

    /// <summary>
    /// Grain state and reminders in PostgreSQL, state serialised as JSON, and the registry's own database
    /// access (the province ledger, the resident read model, the rows of uploaded batches and how batch grains pace them).
    /// </summary>
    public static ISiloBuilder UseRegistryStorage(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddAdoNetGrainStorage(RegistryStorage.Name, options =>
        {
            options.Invariant = RegistryDatabase.Invariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = new JsonGrainStateSerializer();
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = RegistryDatabase.Invariant;
            options.ConnectionString = connectionString;
        });

        silo.Services.AddRegistryDatabase(connectionString);
        // Events for subscribers: read from the province ledger by the publisher, queued durably in PostgreSQL by the
        // ADO.NET stream provider, delivered to subscribers whose subscriptions are stored in PostgreSQL too (Orleans'
        // own serializer: the pub-sub state is Orleans' type, not ours).
        silo.AddRegistryEventStream(connectionString);
        silo.AddAdoNetGrainStorage("PubSubStore", options =>
        {
            options.Invariant = RegistryDatabase.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IEventPublisherGrain>(0).StartAsync());
        silo.Services.AddOptions<UnfinishedWorkOptions>()
            .Bind(silo.Configuration.GetSection(UnfinishedWorkOptions.Section))
            .Validate(options => options.SweepPeriod > TimeSpan.Zero && options.GracePeriod >= TimeSpan.Zero && options.MaxPerSweep > 0,
                $"{UnfinishedWorkOptions.Section}: SweepPeriod and MaxPerSweep must be positive, GracePeriod not negative.")
            .ValidateOnStart();
        silo.Services.AddOptions<ReorganisationOptions>()
            .Bind(silo.Configuration.GetSection(ReorganisationOptions.Section))
            .Validate(options => options.PageSize > 0 && options.Concurrency > 0 && options.ReminderPeriod > TimeSpan.Zero,
                $"{ReorganisationOptions.Section}: PageSize, Concurrency and ReminderPeriod must be positive.")
            .ValidateOnStart();
        // Every silo makes sure the sweep's reminder exists; registering it again is harmless.
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IUnfinishedWorkSweeperGrain>(0).StartAsync());
        silo.Services.AddOptions<ResidenceSweepOptions>()
            .Bind(silo.Configuration.GetSection(ResidenceSweepOptions.Section))
            .Validate(options => options.Period > TimeSpan.Zero && options.ReminderPeriod > TimeSpan.Zero,
                $"{ResidenceSweepOptions.Section}: Period and ReminderPeriod must be positive.")
            .ValidateOnStart();
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IResidenceSweepSchedulerGrain>(0).StartAsync());
        silo.Services.AddOptions<BatchProcessingOptions>()
            .Bind(silo.Configuration.GetSection(BatchProcessingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(options => options.TickInterval >= TimeSpan.Zero && options.ReminderPeriod > TimeSpan.Zero && options.MaxBackoff >= TimeSpan.FromSeconds(1),
                $"{BatchProcessingOptions.Section}: TickInterval must not be negative, ReminderPeriod must be positive and MaxBackoff at least one second.")
            .ValidateOnStart();
        silo.Services.AddSingleton(TimeProvider.System);
        return silo;
    }
}
