using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Registry.ReadModel.Residents;

namespace Registry.ReadModel;

/// <summary>Registers the read model's services.</summary>
public static class ReadModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ResidentProjection"/> (silos feed it from citizen grains) and <see cref="ResidentDirectory"/>
    /// (silos and the API query it), both singletons on the <see cref="Npgsql.NpgsqlDataSource"/> the host
    /// registers. The projection's writing loop starts when it is first resolved, so a host that only queries
    /// never runs it.
    /// </summary>
    public static IServiceCollection AddRegistryReadModel(this IServiceCollection services)
    {
        services.TryAddSingleton<ResidentProjection>();
        services.TryAddSingleton<ResidentDirectory>();
        services.TryAddSingleton<ResidentCensus>();
        services.TryAddSingleton<Events.EventFeed>();
        services.TryAddSingleton<Migration.MigrationStatistics>();
        services.TryAddSingleton<Communes.CommuneLists>();
        return services;
    }
}
