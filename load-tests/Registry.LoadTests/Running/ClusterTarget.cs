using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Membership;
using Registry.ServiceDefaults;

namespace Registry.LoadTests.Running;

/// <summary>
/// The silos themselves, through an Orleans cluster client that finds gateways in the PostgreSQL membership
/// table, as the API does. Loopback only, checked three times: the connection string's hosts before any
/// connection; the active gateways in the membership table before the client starts; and every gateway list
/// the client reads while it runs (<see cref="LoopbackGatewayList"/>).
/// </summary>
internal sealed class ClusterTarget : ILoadTarget
{
    public const string DefaultClusterId = "registry-local";

    public const string DefaultServiceId = "population-registry";

    private static readonly TimeSpan PauseBetweenAttempts = TimeSpan.FromSeconds(1);

    private readonly Option<string?> connection = new("--connection")
    {
        HelpName = "connection string",
        Description = $"PostgreSQL connection string of the membership table; its Host must be loopback. Default: ${LoopbackDatabase.ConnectionStringVariable} if set, else the database of cluster-config/up.sh (127.0.0.1:5433).",
    };

    private readonly Option<string> clusterId = new("--cluster-id")
    {
        HelpName = "id",
        Description = "Orleans ClusterId of the silos.",
        DefaultValueFactory = static _ => DefaultClusterId,
    };

    private readonly Option<string> serviceId = new("--service-id")
    {
        HelpName = "id",
        Description = "Orleans ServiceId of the silos.",
        DefaultValueFactory = static _ => DefaultServiceId,
    };

    public IEnumerable<Option> Options => [connection, clusterId, serviceId];

    public string Prerequisite => "With the cluster up (`cluster-config/up.sh`)";

    public bool TryResolve(ParseResult parse, [NotNullWhen(true)] out IResolvedTarget? target, [NotNullWhen(false)] out string? problem)
    {
        target = null;
        var connectionString = LoopbackDatabase.ConnectionStringFrom(parse.GetValue(connection));
        if (!LoopbackDatabase.TryCheck(connectionString, connection.Name, out var database, out problem))
        {
            return false;
        }

        target = new Resolved(connectionString, database, parse.GetRequiredValue(clusterId), parse.GetRequiredValue(serviceId));
        return true;
    }

    private sealed class Resolved(string connectionString, NpgsqlConnectionStringBuilder database, string clusterId, string serviceId)
        : IResolvedTarget
    {
        // Active silos (status 3) with a gateway; the table and columns of Orleans' ADO.NET clustering scripts.
        private const string ActiveGatewaysSql =
            "SELECT address, proxyport FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = 3 AND proxyport > 0";

        public string Description =>
            $"Orleans cluster `{clusterId}` (service `{serviceId}`), gateways from the membership table in PostgreSQL `{database.Host}:{database.Port}/{database.Database}`";

        public async Task<TargetConnection> ConnectAsync(RunSettings settings, CancellationToken cancellationToken)
        {
            var gateways = await WaitForGatewaysAsync(settings.WaitReady, cancellationToken);
            Console.WriteLine($"Active gateways (all loopback): {string.Join(", ", gateways)}");

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Logging.AddSimpleConsole(static console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = serviceId;
                });
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = RegistryDatabase.Invariant;
                    options.ConnectionString = connectionString;
                });
                client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = settings.RequestTimeout);

                // Registered last, so it is the gateway list the client uses: the ADO.NET one, loopback entries only.
                client.Services.AddSingleton<IGatewayListProvider>(static services =>
                    new LoopbackGatewayList(ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(services)));
            });

            var host = builder.Build();
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                host.Dispose();
                throw new TargetUnavailableException(ExitCodes.NotReady, $"The cluster client could not connect to {string.Join(", ", gateways)}: {exception.Message}");
            }
            catch
            {
                host.Dispose();
                throw;
            }

            // The registry's database too, for scenarios that check the read model after their run.
            var dataSource = NpgsqlDataSource.Create(connectionString);
            return new TargetConnection(
                null,
                host.Services.GetRequiredService<IClusterClient>(),
                [new("gateways at start", string.Join(", ", gateways))],
                async () =>
                {
                    using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await host.StopAsync(stopping.Token);
                    host.Dispose();
                    await dataSource.DisposeAsync();
                })
            { Database = dataSource };
        }

        /// <summary>
        /// Reads the active gateways until there is at least one (or <paramref name="patience"/> is over), and
        /// refuses at once if any of them is not loopback.
        /// </summary>
        private async Task<IReadOnlyList<string>> WaitForGatewaysAsync(TimeSpan patience, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            string lastProblem;
            do
            {
                try
                {
                    var gateways = await ReadActiveGatewaysAsync(cancellationToken);
                    var refused = gateways.Where(static gateway => !LoopbackTarget.IsLoopbackHost(gateway.Address)).ToList();
                    if (refused.Count > 0)
                    {
                        throw new TargetUnavailableException(ExitCodes.RefusedTarget,
                            $"Refusing to run: the membership table of cluster '{clusterId}' lists gateways that are not loopback ({string.Join(", ", refused.Select(static g => g.Display))}). "
                            + "This load generator only talks to this machine; no grain call was sent.");
                    }

                    if (gateways.Count > 0)
                    {
                        return [.. gateways.Select(static gateway => gateway.Display)];
                    }

                    lastProblem = "no active silo with a gateway";
                }
                catch (NpgsqlException exception)
                {
                    lastProblem = exception.Message;
                }

                if (Stopwatch.GetElapsedTime(started) >= patience)
                {
                    break;
                }

                await Task.Delay(PauseBetweenAttempts, cancellationToken);
            }
            while (true);

            throw new TargetUnavailableException(ExitCodes.NotReady, string.Create(
                CultureInfo.InvariantCulture,
                $"Refusing to run: no active gateway of cluster '{clusterId}' in the membership table at {database.Host}:{database.Port}/{database.Database} within {patience.TotalSeconds:F0} s (last: {lastProblem}). Start the cluster with cluster-config/up.sh."));
        }

        private async Task<List<(string Address, int Port, string Display)>> ReadActiveGatewaysAsync(CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(ActiveGatewaysSql, connection);
            command.Parameters.AddWithValue("cluster", clusterId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var gateways = new List<(string, int, string)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var address = reader.GetString(0);
                var port = reader.GetInt32(1);
                gateways.Add((address, port, string.Create(CultureInfo.InvariantCulture, $"{address}:{port}")));
            }

            return gateways;
        }
    }

    /// <summary>
    /// The client's gateway list with every non-loopback entry dropped, so a silo that joins the cluster from
    /// another machine during the run is never contacted.
    /// </summary>
    private sealed class LoopbackGatewayList(IGatewayListProvider inner) : IGatewayListProvider
    {
        public TimeSpan MaxStaleness => inner.MaxStaleness;

        [Obsolete("Required by IGatewayListProvider; Orleans treats every provider as updatable.")]
        public bool IsUpdatable => true;

        public Task InitializeGatewayListProvider() => inner.InitializeGatewayListProvider();

        public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken) =>
            inner.InitializeGatewayListProviderAsync(cancellationToken);

        public async Task<IList<Uri>> GetGateways() => OnlyLoopback(await inner.GetGateways());

        public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken) =>
            OnlyLoopback(await inner.GetGatewaysAsync(cancellationToken));

        private static List<Uri> OnlyLoopback(IList<Uri> gateways) =>
            [.. gateways.Where(static gateway => LoopbackTarget.IsLoopbackHost(gateway.Host))];
    }
}
