namespace Registry.LoadTests.Scenarios;

/// <summary>
/// One kind of traffic against the registry, in the shape of the scenarios of Orleans' DistributedTests:
/// a name, per-worker state, and "issue one request". The runner owns everything else (phases, timing,
/// request budget, statistics), so a scenario stays a page long and knows only the HTTP API.
/// </summary>
/// <typeparam name="TWorker">What one worker keeps between its requests (random source, counters, ...).</typeparam>
internal interface ILoadScenario<TWorker>
{
    /// <summary>The subcommand and report name, e.g. <c>register</c>.</summary>
    string Name { get; }

    /// <summary>One sentence saying what a request does, for help and the report.</summary>
    string Description { get; }

    /// <summary>Runs once before the warm-up and is never measured (e.g. registering the people a read scenario reads).</summary>
    /// <exception cref="ScenarioSetUpException">The scenario cannot run against this API; the message says why.</exception>
    ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken);

    /// <summary>Creates the state of worker <paramref name="workerIndex"/> (0-based); called once per worker.</summary>
    ValueTask<TWorker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken);

    /// <summary>
    /// Issues exactly one HTTP request and says whether the answer was the expected one. A failure without an
    /// HTTP answer (refused connection, timeout) is thrown, and the runner classifies it.
    /// </summary>
    ValueTask<RequestOutcome> IssueOneAsync(TWorker worker, CancellationToken cancellationToken);

    /// <summary>Scenario-specific parameters and set-up results for the report (name, value).</summary>
    IEnumerable<KeyValuePair<string, string>> DescribeParameters();
}
