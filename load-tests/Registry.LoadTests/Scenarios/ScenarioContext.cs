namespace Registry.LoadTests.Scenarios;

/// <summary>What every scenario gets from the runner.</summary>
/// <param name="Http">
/// The one client of the run. Its base address is the loopback API and it refuses any other endpoint,
/// so scenarios use relative paths only (<c>residents</c>, never an absolute URL taken from a response).
/// </param>
/// <param name="RunId">Unique per run; prefixes idempotency keys so two runs never collide.</param>
/// <param name="Concurrency">Number of workers; set-up work may use the same parallelism.</param>
/// <param name="Seed">Seed of the generated data, so a run's request mix can be reproduced.</param>
internal sealed record ScenarioContext(HttpClient Http, string RunId, int Concurrency, int Seed)
{
    /// <summary>A random source for worker <paramref name="workerIndex"/>, reproducible from the seed.</summary>
    public Random RandomFor(int workerIndex) => new(unchecked(Seed * 31 + workerIndex));
}
