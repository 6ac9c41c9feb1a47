namespace Registry.LoadTests.Scenarios;

/// <summary>
/// A scenario whose target keeps an invariant the report must state, such as counters that stay exact under
/// concurrent moves: it checks it once every request has ended, before <see cref="ILoadScenario{TWorker}.DescribeParameters"/>
/// describes the run. The check is not measured.
/// </summary>
internal interface ICheckedAfterRun
{
    /// <summary>Checks the target after the last request ended, keeping what it found for the report; prints a line of it.</summary>
    ValueTask CheckAfterRunAsync(TextWriter output, CancellationToken cancellationToken);
}
