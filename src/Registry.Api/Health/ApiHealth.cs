using Microsoft.Extensions.Diagnostics.HealthChecks;
using Registry.ServiceDefaults;

namespace Registry.Api.Health;

/// <summary>The API is ready when an active silo answers through its cluster client.</summary>
public static class ApiHealth
{
    /// <summary>Registers the readiness check.</summary>
    public static IServiceCollection AddApiHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>Healthy when the cluster reports at least one active silo.</summary>
    private sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var management = cluster.GetGrain<IManagementGrain>(0);
                // GetHosts takes no token (CA2016 is misled by generated code); WaitAsync bounds the wait instead.
#pragma warning disable CA2016
                var hosts = await management.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
#pragma warning restore CA2016
                return hosts.Count > 0
                    ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s).")
                    : HealthCheckResult.Unhealthy("No active silo.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("The cluster does not answer.", ex);
            }
        }
    }
}
