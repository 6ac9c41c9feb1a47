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

        // One instance, seen both by the client (as its observer) and by the endpoints.
        builder.Services.AddSingleton<ClusterConnection>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(services => services.GetRequiredService<ClusterConnection>());
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
        // Otherwise Kestrel would wait for the client's first connection, and a missing cluster would leave even
        // /health/live unanswered; this way the API listens at once and /health/ready says whether it is connected.
        builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
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
