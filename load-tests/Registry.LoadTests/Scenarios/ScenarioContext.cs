using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>What every scenario gets from the runner.</summary>
/// <param name="Target">The open connection: an HTTP client for API scenarios, a cluster client for grain scenarios, a data source for database scenarios.</param>
/// <param name="RunId">Unique per run; prefixes idempotency keys so two runs never collide.</param>
/// <param name="Concurrency">Number of workers; set-up work may use the same parallelism.</param>
/// <param name="Seed">Seed of the generated data, so a run's request mix can be reproduced.</param>
internal sealed record ScenarioContext(TargetConnection Target, string RunId, int Concurrency, int Seed)
{
    /// <summary>
    /// The HTTP client of an API scenario. Its base address is the loopback API and it refuses any other endpoint,
    /// so scenarios use relative paths only (<c>residents</c>, never an absolute URL taken from a response).
    /// </summary>
    public HttpClient Http =>
        Target.Http ?? throw new InvalidOperationException("This scenario's target is not the HTTP API; it has no HTTP client.");

    /// <summary>The cluster client of a grain scenario; its gateways are loopback only.</summary>
    public IGrainFactory Grains =>
        Target.Grains ?? throw new InvalidOperationException("This scenario's target is not the cluster; it has no cluster client.");

    /// <summary>The loopback PostgreSQL of a database scenario.</summary>
    public Npgsql.NpgsqlDataSource Database =>
        Target.Database ?? throw new InvalidOperationException("This scenario's target is not PostgreSQL; it has no data source.");

    /// <summary>A random source for worker <paramref name="workerIndex"/>, reproducible from the seed.</summary>
    public Random RandomFor(int workerIndex) => new(unchecked(Seed * 31 + workerIndex));
}
