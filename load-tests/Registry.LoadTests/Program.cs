using System.CommandLine;
using Registry.LoadTests.Batches;
using Registry.LoadTests.BulkLoad;
using Registry.LoadTests.Cards;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Provinces;
using Registry.LoadTests.Reads;
using Registry.LoadTests.Scenarios;

// Load generator for the registry, in the style of Orleans' DistributedTests:
//   Scenarios/  what one request of each kind is (register, read, verify-cards over HTTP; register-grains, allocate, cards-grains over a cluster client;
//               search, project on the read model in PostgreSQL; audit, the audit log's writer and verify; relocate-sql, the plain design of relocations, in PostgreSQL)
//   Running/    targets (loopback-only HTTP client, cluster client or database), workers, warm-up, measured blocks, request cap
//   Reporting/  the Markdown report and the console summary
//   Batches/    batch-import: one generated provincial batch uploaded as a stream and followed to its last result
//   Cards/      card-sweep: expired cards seeded into grain storage and the read model, then the daily expiry sweep timed
//   Provinces/  shard-activation: the province ledger filled by COPY, then every counter shard activated cold with and without checkpoints
//   BulkLoad/   province-files: a country's provincial CSV files for registry-admin bulk-load
//   Reads/      read-grains: person reads through the cluster client against Npgsql primary-key reads of the same people, alternated in one run
//   Planning/   the planners' scenarios (seed, mass-migration, merger, daily-batches, read-mix): phases seed, run, check; operations, processes, flows; the report with charts
// It only ever sends traffic to loopback (--api, or the PostgreSQL and gateways of --connection), and every run is
// bounded in time and count.
var root = new RootCommand("Load generator for the national population registry, over HTTP, an Orleans cluster client or PostgreSQL (loopback targets only).")
{
    RegisterScenario.CreateCommand(),
    ReadScenario.CreateCommand(),
    RegisterGrainsScenario.CreateCommand(),
    AllocateScenario.CreateCommand(),
    RelocateGrainsScenario.CreateCommand(),
    SearchScenario.CreateCommand(),
    ProjectScenario.CreateCommand(),
    RelocateSqlScenario.CreateCommand(),
    AuditScenario.CreateCommand(),
    CardsGrainsScenario.CreateCommand(),
    VerifyCardsScenario.CreateCommand(),
    BatchImportCommand.Create(),
    CardSweepCommand.Create(),
    ShardActivationCommand.Create(),
    ReadGrainsCommand.Create(),
    PlanCommand.Create(SeedScenario.Definition()),
    PlanCommand.Create(MassMigrationScenario.Definition()),
    PlanCommand.Create(MergerScenario.Definition()),
    PlanCommand.Create(DailyBatchesScenario.Definition()),
    PlanCommand.Create(ReadMixScenario.Definition()),
    ProvinceFilesCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
