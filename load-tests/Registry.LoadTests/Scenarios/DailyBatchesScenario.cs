using System.CommandLine;
using System.Globalization;
using Registry.LoadTests.Planning;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// <c>daily-batches</c>: every province sends its day file at the same moment, as the 63 provincial systems do at the
/// end of a working day: one batch per province (<c>PUT /batches/{id}?province=</c>), its size in proportion to the
/// province's population, all uploaded and processed at once. It is <see cref="SeedScenario"/>'s path with the one
/// difference that matters to a planner: no queue of files, so the registry (and PostgreSQL's connections) take the
/// whole country's day in parallel.
/// </summary>
internal sealed class DailyBatchesScenario(int rows) : PlannedScenario
{
    public const string ScenarioName = "daily-batches";

    /// <summary>One file per province, all at once: a file never splits, and no province waits for another.</summary>
    private readonly SeedScenario files = new(rows, rows, ResidentGenerator.ProvinceCodes2024.Count);

    public override string Name => ScenarioName;

    public override string Description =>
        "Every province's day file of registrations at once: 63 provincial batches (PUT /batches/{id}), sized like the real population, uploaded and processed in parallel.";

    public static PlannedScenarioDefinition Definition()
    {
        var rowsOption = new Option<int>("--rows") { Description = "Registrations in the whole country's day, shared among the 63 provinces by population.", DefaultValueFactory = static _ => 20_000 };
        ScenarioCommand.MustBeWithin(rowsOption, 1, 5_000_000);
        return new PlannedScenarioDefinition(ScenarioName, "Every province's day file at once: 63 provincial batches uploaded and processed in parallel.",
            [rowsOption], parse => new DailyBatchesScenario(parse.GetValue(rowsOption)));
    }

    public override Task RunAsync(PlanContext context, PhaseProgress progress)
    {
        context.Timeline.Mark(string.Create(CultureInfo.InvariantCulture, $"{ResidentGenerator.ProvinceCodes2024.Count} day files sent at once"));
        return files.RunAsync(context, progress);
    }

    public override IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
        [new("day files", string.Create(CultureInfo.InvariantCulture, $"{rows:N0} registrations in one file per province, all {ResidentGenerator.ProvinceCodes2024.Count} at once")), .. files.DescribeParameters()];
}
