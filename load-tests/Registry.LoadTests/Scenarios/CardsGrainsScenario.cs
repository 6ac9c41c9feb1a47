using System.CommandLine;
using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using IdNumber = Registry.Contracts.Identity.PersonalIdNumber;
using Registry.Contracts.Residents;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Card operations without the API: every request is one grain call from a cluster client — an application, a
/// production or an issue — so it measures the card conversation (citizen, card number allocator, card grain, the read
/// model's card row and events) and its PostgreSQL persistence, and nothing of HTTP. Each worker walks its own people
/// through apply → produce → issue, one person after another, and starts over with a renewal (reason damaged) when it
/// comes back to a person, so every request is a step the lifecycle allows.
/// </summary>
internal sealed class CardsGrainsScenario(int peoplePerWorker) : ILoadScenario<CardsGrainsScenario.Worker>
{
    public const string ScenarioName = "cards-grains";

    public const string ScenarioDescription =
        "Registers people first (not measured), then each request is one card step through a grain call from an Orleans cluster client: apply, produce or issue, in turn.";

    public const int DefaultPeoplePerWorker = 20;

    private static readonly Actor Administrator = new("load-test", ActorRole.CentralAdministrator, null);
    private static readonly string[] Provinces = ["001", "079", "048", "031", "092", "038", "046", "075"];

    private IReadOnlyList<IdNumber>[] people = [];

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var peopleOption = new Option<int>("--people-per-worker")
        {
            Description = "People each worker registers before the run and takes through their cards in turn.",
            DefaultValueFactory = static _ => DefaultPeoplePerWorker,
        };
        ScenarioCommand.MustBeWithin(peopleOption, 1, 10_000);
        return ScenarioCommand.Create(new ClusterTarget(), ScenarioName, ScenarioDescription,
            parse => new CardsGrainsScenario(parse.GetValue(peopleOption)), peopleOption);
    }

    public async ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var keys = new IdempotencyKeys(context.RunId, "people");
        people = await Task.WhenAll(Enumerable.Range(0, context.Concurrency).Select(async worker =>
        {
            var random = context.RandomFor(-1 - worker);
            var names = new ResidentGenerator(random, ResidentGenerator.Yesterday());
            var registered = new List<IdNumber>(peoplePerWorker);
            for (var i = 0; i < peoplePerWorker; i++)
            {
                // Adults only: a first card below 14 is applied for through a parent, which this scenario does not model.
                var birthDate = new DateOnly(1950, 1, 1).AddDays(random.Next(50 * 365));
                var female = random.Next(2) == 0;
                var key = keys.Next();
                var command = new RegisterResident(key, names.NextFullName(female), birthDate, female ? Sex.Female : Sex.Male, Provinces[random.Next(Provinces.Length)])
                {
                    Actor = Administrator,
                    PermanentAddress = "1 Lê Lợi",
                };
                switch (await context.Grains.Registration(key).RegisterAsync(command))
                {
                    case Registered done:
                        registered.Add(done.Resident.PersonalIdNumber);
                        break;
                    case RegistrationRefused refused:
                        throw new ScenarioSetUpException($"A registration of the card scenario's people was refused: {refused.Refusal.Title}");
                    default:
                        // A duplicate candidate of someone registered earlier: left out, the worker has one person fewer.
                        break;
                }
            }

            if (registered.Count == 0)
            {
                throw new ScenarioSetUpException($"Worker {worker} registered nobody: every registration found duplicate candidates.");
            }

            return (IReadOnlyList<IdNumber>)registered;
        }));
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(context.Grains, people[workerIndex], new IdempotencyKeys(context.RunId, "w" + workerIndex.ToString(CultureInfo.InvariantCulture))));

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var person = worker.People[worker.Person];
        var citizen = worker.Grains.Citizen(person);
        var key = worker.Keys.Next();
        CardOutcome outcome;
        string step;
        if (worker.Card is not { } card)
        {
            step = "apply";
            var reason = worker.Round == 0 ? CardReason.FirstCard : CardReason.Damaged;
            outcome = await citizen.ApplyForCardAsync(new ApplyForCard(key, Administrator, reason, null));
        }
        else
        {
            step = worker.Produced ? "issue" : "produce";
            outcome = await citizen.ChangeCardAsync(new ChangeCard(key, Administrator, card, worker.Produced ? CardStepKind.Issue : CardStepKind.Production));
        }

        if (outcome is not CardChanged { Replayed: false } changed)
        {
            return RequestOutcome.ContractBreach($"{step} not done", outcome is CardRefused refused
                ? string.Join("; ", refused.Refusal.Errors.Select(static error => $"{error.Field}: {error.Message}"))
                : outcome.GetType().Name);
        }

        worker.Advance(changed.Card);
        return RequestOutcome.Success(step);
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("people", string.Create(CultureInfo.InvariantCulture,
            $"{peoplePerWorker:N0} per worker, adults born 1950–1999, registered through grain calls before the run (not measured)")),
        new("request", "one of ICitizenGrain.ApplyForCardAsync (firstCard, then damaged on later rounds), ChangeCardAsync production, ChangeCardAsync issue"),
        new("success", "CardChanged, not a replay; each issue after the first round revokes the person's previous card"),
    ];

    /// <summary>One worker's people and where it is in their cards; used by that worker only.</summary>
    internal sealed class Worker(IGrainFactory grains, IReadOnlyList<IdNumber> people, IdempotencyKeys keys)
    {
        public IGrainFactory Grains { get; } = grains;

        public IReadOnlyList<IdNumber> People { get; } = people;

        public IdempotencyKeys Keys { get; } = keys;

        public int Person { get; private set; }

        public int Round { get; private set; }

        public DocumentNumber? Card { get; private set; }

        public bool Produced { get; private set; }

        /// <summary>After a step on <paramref name="card"/>: the next step of the same card, or the next person once it is issued.</summary>
        public void Advance(IdentityCard card)
        {
            switch (card.State)
            {
                case CardState.Applied:
                    (Card, Produced) = (card.DocumentNumber, false);
                    break;
                case CardState.Produced:
                    Produced = true;
                    break;
                default:
                    (Card, Produced) = (null, false);
                    Person = (Person + 1) % People.Count;
                    Round += Person == 0 ? 1 : 0;
                    break;
            }
        }
    }
}
