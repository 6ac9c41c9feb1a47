using System.Collections.Concurrent;
using Npgsql;
using Orleans.TestingHost;
using Registry.Cluster.Tests.Residents;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Cards;
using Registry.Domain;
using Registry.Domain.Identity.Cards;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Cards;

/// <summary>A cluster of its own whose card grains can be made to lose their answer (<see cref="CardStepFaults"/>).</summary>
public sealed class CardStepFaultClusterFixture : RegistryClusterFixture
{
    /// <inheritdoc />
    protected override void Configure(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSiloBuilderConfigurator<FaultConfigurator>();
    }

    private sealed class FaultConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddIncomingGrainCallFilter<CardStepFaults>();
    }
}

/// <summary>
/// Cuts a card step short the way a silo crash does between the card grain's write and its holder's: the card grain
/// stores the step of an operation id a test armed, and then its answer is lost. Each armed id fails once.
/// </summary>
internal sealed class CardStepFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, bool> Armed = new(StringComparer.Ordinal);

    /// <summary>The next card step (or card creation) with <paramref name="operationId"/> is stored and its answer lost.</summary>
    public static void LoseAnswerOf(string operationId) => Armed[operationId] = true;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        var operation = context.Request.GetArgumentCount() == 1
            ? context.Request.GetArgument(0) switch
            {
                CardTransition transition => transition.OperationId,
                IdentityCard { Steps: [var first, ..] } => first.OperationId,
                _ => null,
            }
            : null;
        if (operation is not null && Armed.TryRemove(operation, out _))
        {
            throw new InvalidOperationException($"The answer to card step '{operation}' was lost after the card stored it.");
        }
    }
}

/// <summary>
/// A card step cut short between the card grain's write and the citizen's (issue 12) is owed work of the citizen: the
/// next call to the person, whatever it is, or the sweep of unfinished work finishes it, and the person then has one
/// valid card at most, the citizen's copy agrees with the card grains, and every history entry is there once.
/// </summary>
public sealed class CardStepResumptionTests(CardStepFaultClusterFixture fixture) : IClassFixture<CardStepFaultClusterFixture>
{
    private readonly IClusterClient _client = fixture.Client;

    /// <summary>What finishes the cut-short step.</summary>
    public enum Finisher
    {
        /// <summary>The next call to the person, about something else (a change of address; refused for a dead person).</summary>
        NextCall,

        /// <summary>Nobody calls the person: the sweep of unfinished work wakes them.</summary>
        Sweep,
    }

    /// <summary>An application the card grain created and the citizen never heard back about is the person's open application once finished.</summary>
    [Theory]
    [InlineData(Finisher.NextCall)]
    [InlineData(Finisher.Sweep)]
    public async Task An_application_cut_short_is_finished(Finisher by)
    {
        var person = await RegisterAsync("001", new DateOnly(1991, 4, 9));
        var key = Key();
        CardStepFaults.LoseAnswerOf(key);

        await Assert.ThrowsAnyAsync<Exception>(() => _client.Citizen(person).ApplyForCardAsync(new ApplyForCard(key, TestActors.Administrator, CardReason.FirstCard, null)));
        var cards = await FinishedAsync(by, person, static cards => cards.OpenApplication is not null);

        var applied = cards.OpenApplication!;
        Assert.Equal((CardState.Applied, (IdentityCard?)null), (applied.State, cards.Current));
        Assert.Equal(applied, await _client.IdentityCard(applied.DocumentNumber).GetAsync());
        Assert.Single(await _client.Citizen(person).GetHistoryAsync(), entry => entry.OperationId == key);
        Assert.Equal(1, await CardRowsAsync(person));
        // The application goes on as any other.
        Assert.IsType<CardChanged>(await _client.Citizen(person).ChangeCardAsync(new ChangeCard(Key(), TestActors.Administrator, applied.DocumentNumber, CardStepKind.Production)));
        Assert.IsType<CardChanged>(await _client.Citizen(person).ChangeCardAsync(new ChangeCard(Key(), TestActors.Administrator, applied.DocumentNumber, CardStepKind.Issue)));
        Assert.Equal(1, await ValidCardsAsync(person));
    }

    /// <summary>
    /// An issue that revoked the card it replaces and issued the new one, and whose answer was lost, leaves the person
    /// with the new card as current, the old one revoked, and both history entries once.
    /// </summary>
    [Theory]
    [InlineData(Finisher.NextCall)]
    [InlineData(Finisher.Sweep)]
    public async Task An_issue_replacing_a_card_cut_short_is_finished(Finisher by)
    {
        var person = await RegisterAsync("001", new DateOnly(1988, 10, 2));
        var old = await CardSteps.IssueAsync(_client, person, CardReason.FirstCard, new DateOnly(2025, 1, 6));
        var citizen = _client.Citizen(person);
        var renewal = Assert.IsType<CardChanged>(await citizen.ApplyForCardAsync(new ApplyForCard(Key(), TestActors.Administrator, CardReason.Damaged, null))).Card;
        Assert.IsType<CardChanged>(await citizen.ChangeCardAsync(new ChangeCard(Key(), TestActors.Administrator, renewal.DocumentNumber, CardStepKind.Production)));
        var key = Key();
        CardStepFaults.LoseAnswerOf(key);

        await Assert.ThrowsAnyAsync<Exception>(() => citizen.ChangeCardAsync(new ChangeCard(key, TestActors.Administrator, renewal.DocumentNumber, CardStepKind.Issue)));
        var cards = await FinishedAsync(by, person, cards => cards.Current?.DocumentNumber == renewal.DocumentNumber);

        Assert.Null(cards.OpenApplication);
        Assert.Equal(CardState.Issued, cards.Current!.State);
        Assert.Equal(cards.Current, await _client.IdentityCard(renewal.DocumentNumber).GetAsync());
        Assert.Equal(CardState.Revoked, (await _client.IdentityCard(old.DocumentNumber).GetAsync())!.State);
        var entries = (await citizen.GetHistoryAsync()).Where(entry => entry.OperationId == key).ToArray();
        Assert.Equal(new[] { (old.DocumentNumber.Value, "issued"), (renewal.DocumentNumber.Value, "produced") }.Order(), entries.Select(entry => (entry.NewValue!, entry.OldValue!)).Order());
        Assert.Equal(1, await ValidCardsAsync(person));
    }

    /// <summary>A death whose revocation of the card was stored by the card but not by the citizen leaves the card revoked in both, with one history entry.</summary>
    [Theory]
    [InlineData(Finisher.NextCall)]
    [InlineData(Finisher.Sweep)]
    public async Task A_revocation_at_death_cut_short_is_finished(Finisher by)
    {
        var person = await RegisterAsync("001", new DateOnly(1950, 2, 20));
        var card = await CardSteps.IssueAsync(_client, person, CardReason.FirstCard, new DateOnly(2025, 3, 3));
        var death = new RecordDeath("death-" + Key(), TestActors.Administrator, new DateOnly(2026, 1, 5), "Hà Nội", "KT-9/2026");
        var revocation = $"death:{death.IdempotencyKey}";
        CardStepFaults.LoseAnswerOf(revocation);

        await Assert.ThrowsAnyAsync<Exception>(() => _client.RecordApprovedDeathAsync(person, death));
        var cards = await FinishedAsync(by, person, static cards => cards.Current?.State == CardState.Revoked);

        Assert.Equal(cards.Current, await _client.IdentityCard(card.DocumentNumber).GetAsync());
        Assert.False((await _client.Citizen(person).GetAsync())!.IsAlive);
        Assert.Single(await _client.Citizen(person).GetHistoryAsync(), entry => entry.OperationId == revocation);
        Assert.Equal(0, await ValidCardsAsync(person));
    }

    /// <summary>
    /// An application whose citizen write failed leaves no card behind: no card grain, no row in the read model that
    /// nobody could reach; the person applies again and has one card row.
    /// </summary>
    [Fact]
    public async Task An_application_whose_write_failed_leaves_no_card()
    {
        var person = await RegisterAsync("001", new DateOnly(1993, 8, 30));
        var citizen = _client.Citizen(person);

        await FailingStateWrites.OfCitizenAsync(fixture.ConnectionString, _client, person,
            () => citizen.ApplyForCardAsync(new ApplyForCard(Key(), TestActors.Administrator, CardReason.FirstCard, null)));

        Assert.Equal(0, await CardRowsAsync(person));
        Assert.Equal(PersonCards.None, await citizen.GetCardsAsync());
        Assert.IsType<CardChanged>(await citizen.ApplyForCardAsync(new ApplyForCard(Key(), TestActors.Administrator, CardReason.FirstCard, null)));
        Assert.Equal(1, await CardRowsAsync(person));
    }

    /// <summary>
    /// A person renumbered by a correction of their birth year while their first card was applied for keeps the card under
    /// the number they applied with; the first-card list of their province lists them under neither number.
    /// </summary>
    [Fact]
    public async Task A_renumbered_applicant_is_not_on_the_first_card_list()
    {
        const string province = "010";
        var person = await RegisterAsync(province, new DateOnly(2005, 6, 15));
        var peer = await RegisterAsync(province, new DateOnly(2005, 6, 16));
        Assert.IsType<CardChanged>(await _client.Citizen(person).ApplyForCardAsync(new ApplyForCard(Key(), TestActors.Administrator, CardReason.FirstCard, null)));
        var correction = new AmendResident("amend-" + Key(), TestActors.Administrator, "Sai năm sinh trên giấy khai sinh", "TA-31/2026",
            [new FieldChange("birthDate", "2004-06-15")]);
        var renumbered = Assert.IsType<Changed>(await _client.AmendApprovedAsync(person, correction)).Resident.PersonalIdNumber;
        Assert.NotEqual(person, renumbered);

        await using var database = NpgsqlDataSource.Create(fixture.ConnectionString);
        var page = await new CardsDueLists(database).ListAsync(CardDueList.FirstCard, province, VietnamCalendar.Today(TimeProvider.System), 0, null, 100);

        var listed = page.Entries.Select(entry => entry.Holder).ToArray();
        Assert.Contains(peer, listed);
        Assert.DoesNotContain(person, listed);
        Assert.DoesNotContain(renumbered, listed);
    }

    // The person's cards once the finisher has run: at once after the next call, when the sweep has come for the sweep.
    private async Task<PersonCards> FinishedAsync(Finisher by, PersonalIdNumber person, Func<PersonCards, bool> finished)
    {
        var citizen = _client.Citizen(person);
        if (by == Finisher.NextCall)
        {
            await citizen.AmendAsync(new AmendResident("amend-" + Key(), TestActors.Administrator, "Chuyển nhà", "XN-7",
                [new FieldChange("permanentAddress", "8 Hàng Bông")]));
            return (await citizen.GetCardsAsync())!;
        }

        return (await Eventually.ValueAsync(citizen.GetCardsAsync, cards => finished(cards!), RegistryTestCluster.UnfinishedWorkPatience,
            "the sweep of unfinished work finishes the card step"))!;
    }

    private async Task<PersonalIdNumber> RegisterAsync(string province, DateOnly birthDate)
    {
        var command = new RegisterResident(Key(), $"Phan Văn {Key()}"[..20], birthDate, Sex.Male, province)
        {
            Actor = TestActors.Administrator,
            ConfirmedNotDuplicate = true,
        };
        return Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident.PersonalIdNumber;
    }

    private Task<long> CardRowsAsync(PersonalIdNumber person) => TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
        "SELECT count(*) FROM registry.identity_card WHERE personal_id = $1", person.Value);

    // Valid by the card grains themselves: every card the read model knows of the person, as its grain holds it.
    private async Task<int> ValidCardsAsync(PersonalIdNumber person)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT document_number FROM registry.identity_card WHERE personal_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = person.Value });
        var numbers = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                numbers.Add(reader.GetString(0));
            }
        }

        var valid = 0;
        foreach (var number in numbers)
        {
            Assert.True(DocumentNumber.TryParse(number, out var documentNumber, out _));
            valid += (await _client.IdentityCard(documentNumber).GetAsync())!.State == CardState.Issued ? 1 : 0;
        }

        return valid;
    }

    private static string Key() => Guid.NewGuid().ToString("N");
}
