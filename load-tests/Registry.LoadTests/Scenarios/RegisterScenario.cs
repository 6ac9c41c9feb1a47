using System.CommandLine;
using System.Globalization;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Write load: every request registers a new person with a fresh idempotency key, so every request is a
/// real registration (an ID number allocated, a Citizen grain created and persisted, a province counted).
/// </summary>
internal sealed class RegisterScenario : ILoadScenario<RegisterScenario.Worker>
{
    public const string ScenarioName = "register";

    public const string ScenarioDescription =
        "Each request registers a new person (POST /residents) with a random Vietnamese name, birth date, sex and province, and a fresh idempotency key.";

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand() =>
        ScenarioCommand.Create(new ApiTarget(), ScenarioName, ScenarioDescription, static _ => new RegisterScenario());

    public ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(
            context.Http,
            new ResidentGenerator(context.RandomFor(workerIndex), ResidentGenerator.Yesterday()),
            new IdempotencyKeys(context.RunId, "w" + workerIndex.ToString(CultureInfo.InvariantCulture))));

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var registration = await ResidentsApi.RegisterAsync(worker.Http, worker.People.Next(), worker.Keys.Next(), cancellationToken);
        return registration.Outcome;
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("people", "random name, birth date 1900-01-01..yesterday (mostly 0–90 years), sex, one of the 63 provinces of 2024"),
        new("idempotency key", "fresh per request: <run id>-w<worker>-<sequence>"),
        new("success", "201 with a 12-digit ID whose first 6 digits match province, sex/century and birth year, and a matching Location"),
    ];

    /// <summary>One worker's generator and key sequence; used by that worker only.</summary>
    internal sealed record Worker(HttpClient Http, ResidentGenerator People, IdempotencyKeys Keys);
}
