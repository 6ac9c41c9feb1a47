using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Registry.Database.Health;
using Registry.ServiceDefaults;

namespace Registry.Silo.Health;

/// <summary>
/// A silo is ready when PostgreSQL answers and the silo is an active member of the cluster, so that a load
/// balancer or script never routes to a silo that cannot serve.
/// </summary>
public static class SiloHealth
{
    /// <summary>Registers the readiness checks.</summary>
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<SiloMembershipHealthCheck>("silo-membership", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}

/// <summary>Healthy when PostgreSQL answers a query.</summary>
internal sealed class PostgresHealthCheck(DatabaseProbe database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.AnswerAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", ex);
        }
    }
}

/// <summary>Healthy when this silo's own status in the cluster's membership is Active.</summary>
internal sealed class SiloMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {silo.Name} is active.")
            : HealthCheckResult.Unhealthy($"Silo {silo.Name} is {status}."));
    }
}
