using System.CommandLine;
using Registry.LoadTests.Batches;
using Registry.LoadTests.Scenarios;

// Load generator for the registry, in the style of Orleans' DistributedTests:
//   Scenarios/  what one request of each kind is (register, read over HTTP; register-grains, allocate over a cluster client)
//   Running/    targets (loopback-only HTTP client or cluster client), workers, warm-up, measured blocks, request cap
//   Reporting/  the Markdown report and the console summary
//   Batches/    batch-import: one generated provincial batch uploaded as a stream and followed to its last result
// It only ever sends traffic to loopback (--api, or the PostgreSQL and gateways of --connection), and every run is
// bounded in time and count.
var root = new RootCommand("Load generator for the national population registry, over HTTP or an Orleans cluster client (loopback targets only).")
{
    RegisterScenario.CreateCommand(),
    ReadScenario.CreateCommand(),
    RegisterGrainsScenario.CreateCommand(),
    AllocateScenario.CreateCommand(),
    BatchImportCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
