namespace Registry.LoadTests.Running;

/// <summary>Everything that shapes a run, as given on the command line (already validated).</summary>
/// <param name="Target">Where the load goes, as the console and the report say it (a loopback URL, or the cluster).</param>
/// <param name="Concurrency">Workers, each with at most one request in flight.</param>
/// <param name="Warmup">Traffic whose results are discarded: connection set-up, JIT, grain activation.</param>
/// <param name="Duration">Measured time; no request starts after it.</param>
/// <param name="MaxRequests">Hard cap on requests issued by workers (warm-up included); the run stops when reached.</param>
/// <param name="Block">Width of a per-block row in the report.</param>
/// <param name="RequestTimeout">Bound on one request; also bounds how long the run outlives its duration.</param>
/// <param name="WaitReady">How long to wait for the target to be ready (API: <c>GET /health/ready</c>; cluster: an active gateway).</param>
/// <param name="Seed">Seed of the generated data.</param>
/// <param name="ReportPath">Where the Markdown report is written.</param>
/// <param name="Prerequisite">What must run before the command (the cluster, or only PostgreSQL), for the report.</param>
internal sealed record RunSettings(
    string Target,
    int Concurrency,
    TimeSpan Warmup,
    TimeSpan Duration,
    long MaxRequests,
    TimeSpan Block,
    TimeSpan RequestTimeout,
    TimeSpan WaitReady,
    int Seed,
    string ReportPath,
    string Prerequisite);
