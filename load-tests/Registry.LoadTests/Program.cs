using System.CommandLine;
using Registry.LoadTests.Scenarios;

// Load generator for the registry's HTTP API, in the style of Orleans' DistributedTests:
//   Scenarios/  what one request of each kind is (register, read)
//   Running/    workers, warm-up, measured blocks, request cap, loopback-only HTTP client
//   Reporting/  the Markdown report and the console summary
// It only ever sends traffic to a loopback base URL (--api), and every run is bounded in time and count.
var root = new RootCommand("Load generator for the national population registry's HTTP API (loopback targets only).")
{
    RegisterScenario.CreateCommand(),
    ReadScenario.CreateCommand(),
};

return await root.Parse(args).InvokeAsync();
