using Orleans.Configuration;
using Registry.ServiceDefaults;

namespace Registry.Api.Hosting;

/// <summary>The API's Orleans cluster client: it finds gateways through the PostgreSQL membership table.</summary>
public static partial class ClusterClientHosting
{
    /// <summary>Adds the cluster client, configured from <c>Orleans</c> and <c>ConnectionStrings:Registry</c>.</summary>
    public static WebApplicationBuilder AddRegistryClusterClient(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = RegistryDatabase.ConnectionString(builder.Configuration);

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(builder.Configuration.GetSection("Orleans"));
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = RegistryDatabase.Invariant;
                options.ConnectionString = connectionString;
            });
            client.UseConnectionRetryFilter<RetryUntilStopped>();
        });
        return builder;
    }

    /// <summary>
    /// Keeps trying to reach a gateway while the host runs, so the API can start before the silos; readiness
    /// reports whether it is connected.
    /// </summary>
    private sealed partial class RetryUntilStopped(ILogger<RetryUntilStopped> logger) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            LogRetry(logger, exception.Message);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            return true;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "No silo gateway reachable yet ({Reason}); retrying in 2 s")]
        private static partial void LogRetry(ILogger logger, string reason);
    }
}
