using System.Collections.Concurrent;
using Npgsql;
using Orleans.TestingHost;

namespace Registry.Api.Tests.Hosting;

/// <summary>How a silo's database fails a grain call.</summary>
public enum DatabaseFault
{
    /// <summary>The read model or a ledger waits for a connection of an exhausted pool until it times out.</summary>
    PoolExhausted,

    /// <summary>Grain storage is refused a connection (SQLSTATE 53300), which Orleans' storage bridge wraps.</summary>
    TooManyClients,
}

/// <summary>
/// Fails the next call to a grain's method as the silo's database fails it under load, before the grain does anything:
/// with Npgsql's own exceptions, as the silos of the mass-migration scenario saw them. Registered after the registry's
/// own filters, so that it stands where the grain's database access does.
/// </summary>
internal sealed class DatabaseFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(GrainId Grain, string Method), DatabaseFault> Armed = new();

    /// <summary>The next call to <paramref name="method"/> of <paramref name="grain"/> fails with <paramref name="fault"/>.</summary>
    public static void FailNext(GrainId grain, string method, DatabaseFault fault) => Armed[(grain, method)] = fault;

    public Task Invoke(IIncomingGrainCallContext context) =>
        Armed.TryRemove((context.TargetId, context.MethodName), out var fault) ? throw Failure(fault) : context.Invoke();

    // The texts are the driver's and the server's own, which name what a caller must never see.
    private static Exception Failure(DatabaseFault fault) => fault switch
    {
        DatabaseFault.PoolExhausted => new NpgsqlException(
            "The connection pool has been exhausted, either raise 'Max Pool Size' (currently 100) or 'Timeout' (currently 15 seconds)",
            new TimeoutException()),
        DatabaseFault.TooManyClients => new OrleansException(
            "Error from storage provider AdoNetGrainStorage during WriteStateAsync",
            new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300")),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown database fault."),
    };

    /// <summary>Adds the filter to every silo of a test cluster.</summary>
    public sealed class Configurator : ISiloConfigurator
    {
        /// <inheritdoc />
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddIncomingGrainCallFilter<DatabaseFaults>();
    }
}
