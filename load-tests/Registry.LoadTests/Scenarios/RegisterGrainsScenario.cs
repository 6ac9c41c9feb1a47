using System.CommandLine;
using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Residents;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Write load without the API: every request is one <c>IRegistrationGrain.RegisterAsync</c> call from a cluster
/// client for a new person with a fresh idempotency key, so it measures the grain conversation (allocator,
/// citizen, province) and its PostgreSQL persistence, and nothing of HTTP.
/// </summary>
internal sealed class RegisterGrainsScenario : ILoadScenario<RegisterGrainsScenario.Worker>
{
    public const string ScenarioName = "register-grains";

    public const string ScenarioDescription =
        "Each request registers a new person through one grain call (IRegistrationGrain.RegisterAsync) from an Orleans cluster client, with a fresh idempotency key.";

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand() =>
        ScenarioCommand.Create(new ClusterTarget(), ScenarioName, ScenarioDescription, static _ => new RegisterGrainsScenario());

    public ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(
            context.Grains,
            new ResidentGenerator(context.RandomFor(workerIndex), ResidentGenerator.Yesterday()),
            new IdempotencyKeys(context.RunId, "w" + workerIndex.ToString(CultureInfo.InvariantCulture))));

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var resident = worker.People.Next();
        var key = worker.Keys.Next();
        var command = new RegisterResident(
            key, resident.FullName, resident.BirthDate, resident.Sex == "female" ? Sex.Female : Sex.Male, resident.BirthRegistrationProvince)
        {
            // Grain calls are trusted: the load generator acts as a central administrator.
            Actor = new Actor("load-test", ActorRole.CentralAdministrator, null),
        };

        // Orleans calls take no token; the client's response timeout (--timeout) bounds them.
        var outcome = await worker.Grains.Registration(key).RegisterAsync(command);
        return outcome switch
        {
            Registered { Replayed: true } => RequestOutcome.ContractBreach("Registered as a replay of a fresh key", key),
            Registered registered => CheckNumber(registered.Resident.PersonalIdNumber.Value, resident),
            RegistrationRefused refused => RequestOutcome.ContractBreach(
                "refused: " + refused.Refusal.Kind, string.Join("; ", refused.Refusal.Errors.Select(static error => $"{error.Field}: {error.Message}"))),
            _ => RequestOutcome.ContractBreach("unknown outcome " + outcome.GetType().Name, null),
        };
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("people", "random name, birth date 1900-01-01..yesterday (mostly 0–90 years), sex, one of the 63 provinces of 2024"),
        new("idempotency key", "fresh per request: <run id>-w<worker>-<sequence>"),
        new("success", "Registered (not a replay) with a 12-digit ID whose first 6 digits match province, sex/century and birth year"),
    ];

    private static RequestOutcome CheckNumber(string id, NewResident resident)
    {
        var expected = PersonalIdNumber.ExpectedPrefix(resident);
        return PersonalIdNumber.IsWellFormed(id) && id.StartsWith(expected, StringComparison.Ordinal)
            ? RequestOutcome.Success("Registered")
            : RequestOutcome.ContractBreach("Registered with an ID number that contradicts the request", $"{id}, expected prefix {expected}");
    }

    /// <summary>One worker's generator and key sequence; used by that worker only.</summary>
    internal sealed record Worker(IGrainFactory Grains, ResidentGenerator People, IdempotencyKeys Keys);
}
