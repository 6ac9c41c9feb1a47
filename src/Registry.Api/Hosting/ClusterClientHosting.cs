using Orleans.Configuration;

namespace Registry.Api.Hosting;

/// <summary>The API's Orleans cluster client: it finds gateways through the PostgreSQL membership table.</summary>
public static partial class ClusterClientHosting
{
    /// <summary>Configuration key of the connection string (environment: <c>ConnectionStrings__Registry</c>).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Registry";

    /// <summary>Adds the cluster client, configured from <c>Orleans</c> and <c>ConnectionStrings:Registry</c>.</summary>
    public static WebApplicationBuilder AddRegistryClusterClient(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Configuration '{ConnectionStringKey}' (environment ConnectionStrings__Registry) is required: the PostgreSQL connection string.");
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(builder.Configuration.GetSection("Orleans"));
            client.UseAdoNetClustering(options =>
            {
                // Orleans loads Npgsql.NpgsqlFactory by this name; grain storage and clustering default to SQL Server's.
                options.Invariant = "Npgsql";
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
