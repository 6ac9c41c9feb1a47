using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Registry.Database.Telemetry;
using Registry.Grains;
using Registry.ServiceDefaults;
using Registry.Silo.Storage;

namespace Registry.Silo.Hosting;

/// <summary>How a registry silo is put together. Test clusters use the same pieces as production.</summary>
public static class RegistrySiloHosting
{
    /// <summary>
    /// Runs an Orleans silo in this host: its endpoints, PostgreSQL clustering, storage, reminders and event stream, the
    /// registry's grains, the dashboard and the metrics.
    /// </summary>
    public static WebApplicationBuilder AddRegistrySilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = RegistryDatabase.ConnectionString(builder.Configuration);
        builder.UseOrleans(silo => silo
            .UseRegistryEndpoints()
            .UseRegistryClustering(connectionString)
            .UseRegistryStorage(connectionString)
            .AddRegistryGrains(connectionString)
            .AddDashboard(options => options.CounterUpdateIntervalMs = 2000));
        builder.AddOperatorsDoor();
        builder.AddRegistryMetrics(RegistryMetrics.MeterName);
        return builder;
    }

    /// <summary>
    /// The silo's HTTP port listens only at <see cref="SiloEndpointOptions.HttpEndpoint"/>, and callers are
    /// authenticated by the API's token rules, so that the dashboard can be kept to operators.
    /// </summary>
    public static WebApplicationBuilder AddOperatorsDoor(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Explicit endpoints override ASPNETCORE_URLS, so no environment variable can open the port wider.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<SiloEndpointOptions>>((kestrel, endpoints) =>
        {
            try
            {
                kestrel.Listen(endpoints.Value.HttpEndpoint());
            }
            catch (OptionsValidationException)
            {
                // Building the host creates the server, before the start-up check: a bad setting is left to that check,
                // which names it with every other bad setting and stops the host before anything listens.
            }
        });
        builder.Services.AddRegistryBearerTokens();
        return builder;
    }

    /// <summary>
    /// Health for anyone (probes carry no token, and it names no person), the dashboard for operators only: it shows
    /// every grain of the cluster, whose keys are personal ID numbers; and the metrics for operators only.
    /// </summary>
    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRegistryHealth();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(BearerAuthentication.OperatorPolicy);
        app.MapRegistryMetrics();
        return app;
    }

    /// <summary>
    /// The silo's name, ports and address from <see cref="SiloEndpointOptions.Section"/>, checked when the silo starts,
    /// and its cluster (<c>Orleans</c>), failure detection and reminder floor.
    /// </summary>
    public static ISiloBuilder UseRegistryEndpoints(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var endpointSection = silo.Configuration.GetSection(SiloEndpointOptions.Section);
        silo.Configure<ClusterOptions>(silo.Configuration.GetSection("Orleans"));
        // Optional, for operators and fault tests: how fast a dead silo is declared dead (Silo:Membership:*), and
        // the shortest reminder period (Silo:Reminders:MinimumReminderPeriod); Orleans' defaults otherwise. Not under
        // "Orleans": Orleans reads Orleans:Reminders and the like as provider definitions.
        silo.Configure<ClusterMembershipOptions>(endpointSection.GetSection("Membership"));
        silo.Configure<ReminderOptions>(endpointSection.GetSection("Reminders"));

        // Read through the options, not from configuration here, so that a bad value is refused by the same start-up
        // check, with the same message, as every other setting.
        silo.Services.AddOptions<SiloEndpointOptions>().BindConfiguration(SiloEndpointOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddOptions<SiloOptions>().Configure<IOptions<SiloEndpointOptions>>((options, endpoints) => options.SiloName = endpoints.Value.Name);
        silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloEndpointOptions>>((options, configured) =>
        {
            var endpoints = configured.Value;
            options.AdvertisedIPAddress = endpoints.AdvertisedAddress();
            options.SiloPort = endpoints.SiloPort;
            options.GatewayPort = endpoints.GatewayPort;
            if (endpoints.ListenOnAnyHostAddress)
            {
                options.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, endpoints.SiloPort);
                options.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, endpoints.GatewayPort);
            }
        });

        // Decided here, while services are registered, so read from configuration; the bound option carries the same
        // value for the start-up check. Registered after the silo's own name so that the pod's name wins: the hosting
        // matches members to pods by name, and would declare dead any active silo named otherwise.
        if (endpointSection.GetValue<bool>(nameof(SiloEndpointOptions.Kubernetes)))
        {
            silo.UseKubernetesHosting();
        }

        return silo;
    }

    /// <summary>
    /// Membership in PostgreSQL: silos find each other, and clients find gateways, through it. Kept under Kubernetes too:
    /// Orleans' Kubernetes hosting is no membership provider (it only reconciles members with pods), the API finds
    /// gateways through this table wherever it runs, and PostgreSQL is already what every silo needs to do any work, so
    /// a second store of membership (the Kubernetes API) would add a dependency without removing one.
    /// </summary>
    public static ISiloBuilder UseRegistryClustering(this ISiloBuilder silo, string connectionString) =>
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = RegistryDatabase.Invariant;
            options.ConnectionString = connectionString;
        });

    /// <summary>
    /// Grain state (serialised as JSON) and reminders in PostgreSQL, and the registry's events for subscribers: read
    /// from the province ledger by the publisher, queued durably in PostgreSQL by the ADO.NET stream provider, delivered
    /// to subscribers whose subscriptions are stored in PostgreSQL too.
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
        silo.AddRegistryEventStream(connectionString);
        // Orleans' own serializer here: the pub-sub state is Orleans' type, not ours.
        silo.AddAdoNetGrainStorage("PubSubStore", options =>
        {
            options.Invariant = RegistryDatabase.Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }
}
