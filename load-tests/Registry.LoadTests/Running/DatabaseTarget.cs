using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Npgsql;

namespace Registry.LoadTests.Running;

/// <summary>
/// PostgreSQL itself, for scenarios that measure the read model without silos or HTTP in the way (its queries and
/// its projection). Loopback only, checked before any connection, like <see cref="ClusterTarget"/>'s database.
/// </summary>
internal sealed class DatabaseTarget : ILoadTarget
{
    private static readonly TimeSpan PauseBetweenAttempts = TimeSpan.FromSeconds(1);

    private readonly Option<string?> connection = new("--connection")
    {
        HelpName = "connection string",
        Description = $"PostgreSQL connection string of the registry database, migrated; its Host must be loopback. Default: ${LoopbackDatabase.ConnectionStringVariable} if set, else the database of cluster-config/up.sh (127.0.0.1:5433).",
    };

    public IEnumerable<Option> Options => [connection];

    public string Prerequisite => "With PostgreSQL up and migrated (`cluster-config/postgres.sh start`, which `cluster-config/up.sh` runs)";

    public bool TryResolve(ParseResult parse, [NotNullWhen(true)] out IResolvedTarget? target, [NotNullWhen(false)] out string? problem)
    {
        target = null;
        var connectionString = LoopbackDatabase.ConnectionStringFrom(parse.GetValue(connection));
        if (!LoopbackDatabase.TryCheck(connectionString, connection.Name, out var database, out problem))
        {
            return false;
        }

        target = new Resolved(database);
        return true;
    }

    private sealed class Resolved(NpgsqlConnectionStringBuilder database) : IResolvedTarget
    {
        public string Description => $"PostgreSQL `{database.Host}:{database.Port}/{database.Database}`";

        public async Task<TargetConnection> ConnectAsync(RunSettings settings, CancellationToken cancellationToken)
        {
            var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
            // --timeout bounds one request here too: a statement running longer is cancelled and counted as a timeout.
            builder.ConnectionStringBuilder.CommandTimeout = Math.Max(1, (int)settings.RequestTimeout.TotalSeconds);
            // Every worker holds at most one connection; set-up may use as many.
            builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(builder.ConnectionStringBuilder.MaxPoolSize, settings.Concurrency + 4);
            var dataSource = builder.Build();
            try
            {
                var version = await WaitForSchemaAsync(dataSource, settings.WaitReady, cancellationToken);
                return new TargetConnection(null, null, [new("PostgreSQL", version)], () => dataSource.DisposeAsync()) { Database = dataSource };
            }
            catch
            {
                await dataSource.DisposeAsync();
                throw;
            }
        }

        /// <summary>Waits until PostgreSQL answers and holds the read model, then returns its version.</summary>
        private async Task<string> WaitForSchemaAsync(NpgsqlDataSource dataSource, TimeSpan patience, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            string lastProblem;
            do
            {
                try
                {
                    await using var command = dataSource.CreateCommand("SELECT to_regclass('registry.resident') IS NOT NULL, current_setting('server_version')");
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    await reader.ReadAsync(cancellationToken);
                    if (reader.GetBoolean(0))
                    {
                        return reader.GetString(1);
                    }

                    lastProblem = "table registry.resident does not exist: apply the migrations (cluster-config/postgres.sh start does)";
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
                $"Refusing to run: PostgreSQL at {database.Host}:{database.Port}/{database.Database} was not ready within {patience.TotalSeconds:F0} s (last: {lastProblem})."));
        }
    }
}
