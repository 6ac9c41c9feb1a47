using System.CommandLine;

namespace Registry.LoadTests.Planning;

/// <summary>
/// A capacity planner's scenario: what it seeds, what traffic it runs, and what only it knows to check at the end. The
/// runner (<see cref="PlanRunner"/>) owns the rest: the connection to the API and PostgreSQL, progress, the record of
/// every operation, the processes' CPU and memory, the invariant check every scenario ends with, and the report.
/// A phase that throws ends the run's traffic but not the run: the check still runs and the report is still written.
/// </summary>
internal abstract class PlannedScenario
{
    /// <summary>The subcommand, and the folder name of its reports.</summary>
    public abstract string Name { get; }

    /// <summary>One sentence for help and the report.</summary>
    public abstract string Description { get; }

    /// <summary>Brings the registry to the state the scenario starts from (people, communes, cards); timed and recorded like the run.</summary>
    public virtual Task SeedAsync(PlanContext context, PhaseProgress progress) => Task.CompletedTask;

    /// <summary>The traffic of the scenario.</summary>
    public abstract Task RunAsync(PlanContext context, PhaseProgress progress);

    /// <summary>The scenario's parameters and what seeding and the run found, for the report.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> DescribeParameters();

    /// <summary>Figures the scenario compares (a baseline's ratio), for the report; none by default.</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> DescribeComparisons() => [];

    /// <summary>Invariants only this scenario knows (a merger's absorbed provinces are empty), checked after the common ones, bounded alike; none by default.</summary>
    public virtual IEnumerable<ScenarioInvariant> Invariants(PlanContext context) => [];
}

/// <summary>One invariant of a scenario's own: its name, and one attempt at it answering whether it held and what was found.</summary>
internal sealed record ScenarioInvariant(string Name, Func<CancellationToken, Task<(bool Passed, string Detail)>> Attempt);

/// <summary>A scenario's own command-line options, and how to build it from them.</summary>
internal sealed record PlannedScenarioDefinition(string Name, string Description, IReadOnlyList<Option> Options, Func<ParseResult, PlannedScenario> Create);
