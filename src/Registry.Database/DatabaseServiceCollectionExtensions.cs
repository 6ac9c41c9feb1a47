using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Registry.Database.Audit;
using Registry.Database.Batches;
using Registry.Database.Cards;
using Registry.Database.Communes;
using Registry.Database.Events;
using Registry.Database.Health;
using Registry.Database.Partners;
using Registry.Database.Provinces;
using Registry.Database.Residents;
using Registry.Database.Resumption;
using Registry.Database.Statistics;

namespace Registry.Database;

/// <summary>Registers the registry's access to PostgreSQL: one data source and every class that holds our SQL.</summary>
public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="NpgsqlDataSource"/> (one connection pool per process) on <paramref name="connectionString"/>
    /// and every SQL class as a singleton on it. Each is built when first resolved, so a host pays only for what it
    /// uses: the writers' group-commit loops (projection, ledger, unfinished work) run only in the silos that resolve
    /// them, never in the API, which only queries. Repeating the call adds nothing.
    /// </summary>
    public static IServiceCollection AddRegistryDatabase(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<DatabaseProbe>();

        // Written by silos.
        services.TryAddSingleton<ProvinceLedger>();
        services.TryAddSingleton<UnfinishedWork>();
        services.TryAddSingleton<ResidentProjection>();
        services.TryAddSingleton<BatchRows>();

        // Read by silos and the API.
        services.TryAddSingleton<ResidentDirectory>();
        services.TryAddSingleton<ResidentHistory>();
        services.TryAddSingleton<ResidentCensus>();
        services.TryAddSingleton<EventFeed>();
        services.TryAddSingleton<MigrationStatistics>();
        services.TryAddSingleton<CommuneLists>();

        // Written by card grains, read by the API (the revocation list) and the event feed.
        services.TryAddSingleton<CardRegister>();

        // Read by the daily expiry sweep (silos) and the due lists (API).
        services.TryAddSingleton<CardsDueLists>();

        // Written by proposal grains, read by the API.
        services.TryAddSingleton<ProposalList>();

        // Written and read by the API: uploads are stored without a silo.
        services.TryAddSingleton<BatchStore>();

        // Written by the API (administrators), read by the API (partners' requests, the rate limiter).
        services.TryAddSingleton<PartnerPolicyStore>();

        // The audit log's readers; its writer (AuditLog) is added by the API with its chain count.
        services.TryAddSingleton<AccessLog>();
        services.TryAddSingleton<AuditVerification>();
        return services;
    }
}
