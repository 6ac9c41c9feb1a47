using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain;
using Registry.Grains.PagedWork;
using Registry.Cluster.Tests.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Cards;

/// <summary>A cluster of its own whose silos read the time from <see cref="Clock"/>, so that a test moves a card past its last valid day instead of waiting for it.</summary>
public sealed class CardExpirySweepClusterFixture : RegistryClusterFixture
{
    /// <summary>The silos' clock; tests of this fixture run one at a time.</summary>
    public static SettableClock Clock { get; } = new();

    /// <inheritdoc />
    protected override void Configure(TestClusterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSiloBuilderConfigurator<ClockConfigurator>();
    }

    private sealed class ClockConfigurator : ISiloConfigurator
    {
        // Registered after the grains' own clock, so that this one is resolved.
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
    }
}

/// <summary>
/// The daily card expiry sweep of a province (issue 12, part 6): it records each expired card's expiry once (the card's
/// step, the holder's history entry, one <c>cardExpired</c> event), judges expiry on Vietnam's calendar by the silos'
/// clock, and leaves a card renewed meanwhile alone. Each test sweeps a province of its own.
/// </summary>
public sealed class CardExpirySweepTests(CardExpirySweepClusterFixture fixture) : IClassFixture<CardExpirySweepClusterFixture>
{
    private readonly IClusterClient _client = fixture.Client;

    private static SettableClock Clock => CardExpirySweepClusterFixture.Clock;

    /// <summary>
    /// A card past its last valid day is recorded expired by the day's sweep, once, with one history entry and one event;
    /// a card whose last day is still ahead is left until a sweep after it, when the clock has passed it.
    /// </summary>
    [Fact]
    public async Task The_sweep_records_each_expiry_once_with_one_event_per_card()
    {
        const string province = "004";
        var today = VietnamCalendar.Today(Clock);
        var (overdueHolder, overdue) = await HolderOfCardAsync(province, new DateOnly(2000, 1, 10), new DateOnly(2019, 1, 1));
        var soonBirth = today.AddDays(2).AddYears(-25);
        var (soonHolder, soon) = await HolderOfCardAsync(province, soonBirth, soonBirth.AddYears(20));
        var (_, valid) = await HolderOfCardAsync(province, new DateOnly(1990, 5, 17), new DateOnly(2020, 6, 1));
        Assert.Equal((new DateOnly(2025, 1, 10), today.AddDays(2)), (overdue.ExpiresOn, soon.ExpiresOn));

        Assert.Equal(new CardExpirySweepProgress(true, 1, 1), await SweepAsync(province, today));

        Assert.Equal(CardState.Expired, (await CardAsync(overdue)).State);
        Assert.Equal(CardState.Issued, (await CardAsync(soon)).State);
        Assert.Equal(CardState.Issued, (await CardAsync(valid)).State);
        Assert.Equal(CardState.Expired, (await _client.Citizen(overdueHolder).GetCardsAsync())!.Current!.State);
        Assert.Equal(1, await ExpiryEntriesAsync(overdueHolder));
        Assert.False(await _client.Citizen(overdueHolder).RecordCardExpiryAsync(overdue.DocumentNumber));

        // Three days on: the second card is past its last day on the silos' calendar; the first is not recorded again.
        Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(new CardExpirySweepProgress(true, 1, 1), await SweepAsync(province, today.AddDays(3)));
        Assert.Equal(new CardExpirySweepProgress(true, 1, 1), await _client.CardExpirySweep(province, today.AddDays(3)).StartAsync());

        Assert.Equal(CardState.Expired, (await CardAsync(soon)).State);
        Assert.Equal(CardState.Issued, (await CardAsync(valid)).State);
        Assert.Equal((1, 1), (await ExpiryEntriesAsync(overdueHolder), await ExpiryEntriesAsync(soonHolder)));
        Assert.Equal(1, await ExpiryEventsAsync(overdue.DocumentNumber));
        Assert.Equal(1, await ExpiryEventsAsync(soon.DocumentNumber));
        Assert.Equal(0, await ExpiryEventsAsync(valid.DocumentNumber));
        Assert.Equal("expired", await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT state FROM registry.identity_card WHERE document_number = $1", soon.DocumentNumber.Value));
    }

    /// <summary>
    /// A card renewed after the read model listed it (the row still says issued, as a lagging projection would) is left
    /// alone: the holder's grain knows it was replaced, so it stays revoked, and no expiry event is written for it.
    /// </summary>
    [Fact]
    public async Task A_card_renewed_meanwhile_is_left_alone()
    {
        const string province = "006";
        var today = VietnamCalendar.Today(Clock);
        var (holder, old) = await HolderOfCardAsync(province, new DateOnly(2000, 2, 11), new DateOnly(2019, 2, 1));
        var renewed = await IssueAsync(holder, CardReason.AgeMilestone, today);
        Assert.Equal(CardState.Revoked, (await CardAsync(old)).State);
        await TestDatabase.ScalarAsync<int>(fixture.ConnectionString,
            "WITH stale AS (UPDATE registry.identity_card SET state = 'issued' WHERE document_number = $1 RETURNING 1) SELECT count(*)::int FROM stale", old.DocumentNumber.Value);

        Assert.Equal(new CardExpirySweepProgress(true, 0, 1), await SweepAsync(province, today));

        Assert.Equal(CardState.Revoked, (await CardAsync(old)).State);
        Assert.Equal(CardState.Issued, (await CardAsync(renewed)).State);
        Assert.Equal(renewed.DocumentNumber, (await _client.Citizen(holder).GetCardsAsync())!.Current!.DocumentNumber);
        Assert.Equal(0, await ExpiryEntriesAsync(holder));
        Assert.Equal(0, await ExpiryEventsAsync(old.DocumentNumber));
    }

    private async Task<CardExpirySweepProgress> SweepAsync(string province, DateOnly day)
    {
        var sweep = _client.CardExpirySweep(province, day);
        await sweep.StartAsync();
        return await Eventually.ValueAsync(sweep.GetProgressAsync, static progress => progress.Done, Eventually.Within(PagedRun.ShortPause), "the card expiry sweep finishes");
    }

    private async Task<(PersonalIdNumber Holder, IdentityCard Card)> HolderOfCardAsync(string province, DateOnly birthDate, DateOnly issuedOn)
    {
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), $"Trần Văn {Guid.NewGuid():N}"[..20], birthDate, Sex.Male, province)
        {
            Actor = TestActors.Administrator,
            ConfirmedNotDuplicate = true,
        };
        var holder = Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident.PersonalIdNumber;
        return (holder, await IssueAsync(holder, CardReason.FirstCard, issuedOn));
    }

    private async Task<IdentityCard> IssueAsync(PersonalIdNumber holder, CardReason reason, DateOnly issuedOn) =>
        await CardSteps.IssueAsync(_client, holder, reason, issuedOn);

    private async Task<IdentityCard> CardAsync(IdentityCard card) => (await _client.IdentityCard(card.DocumentNumber).GetAsync())!;

    private async Task<int> ExpiryEntriesAsync(PersonalIdNumber holder) =>
        (await _client.Citizen(holder).GetHistoryAsync()).Count(entry => entry.Kind == ResidentChangeKind.IdentityCard && entry.Reason == "expired");

    private Task<long> ExpiryEventsAsync(DocumentNumber card) => TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
        "SELECT count(*) FROM registry.identity_card_event WHERE document_number = $1 AND kind = 'cardExpired'", card.Value);
}

/// <summary>A card's application, production and issue through the holder's citizen grain, as the API sends them.</summary>
internal static class CardSteps
{
    /// <summary>Applies for, produces and issues a card of <paramref name="holder"/> handed over on <paramref name="issuedOn"/>.</summary>
    public static async Task<IdentityCard> IssueAsync(IGrainFactory grains, PersonalIdNumber holder, CardReason reason, DateOnly issuedOn)
    {
        var citizen = grains.Citizen(holder);
        var applied = Assert.IsType<CardChanged>(await citizen.ApplyForCardAsync(new ApplyForCard(Key(), TestActors.Administrator, reason, null))).Card;
        Assert.IsType<CardChanged>(await citizen.ChangeCardAsync(new ChangeCard(Key(), TestActors.Administrator, applied.DocumentNumber, CardStepKind.Production)));
        return Assert.IsType<CardChanged>(await citizen.ChangeCardAsync(
            new ChangeCard(Key(), TestActors.Administrator, applied.DocumentNumber, CardStepKind.Issue) { IssuedOn = issuedOn })).Card;
    }

    private static string Key() => Guid.NewGuid().ToString("N");
}

/// <summary>The sweep of a province survives the loss of the silo running it. A database and a cluster of its own.</summary>
public sealed class CardExpirySweepResumeTests
{
    private const int Cards = 7;

    /// <summary>
    /// The silo holding the sweep is killed between pages; the reminder resumes it on another silo from its stored place,
    /// and every card is recorded expired exactly once: one event and one history entry each.
    /// </summary>
    [Fact]
    public async Task A_sweep_resumes_after_its_silo_is_killed_and_records_each_expiry_once()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(CardExpirySweepResumeTests));
        await using var cluster = await RegistryTestCluster.StartAsync(scratch.ConnectionString, silos: 3, fastLiveness: true, configure: builder =>
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Two cards a page and two seconds between pages: the kill lands between pages, with pages left.
                ["CardExpirySweep:PageSize"] = "2",
                ["CardExpirySweep:PagePause"] = "00:00:02",
                ["CardExpirySweep:ReminderPeriod"] = "00:00:01",
            })));
        const string province = "008";
        var holders = new List<PersonalIdNumber>();
        for (var i = 0; i < Cards; i++)
        {
            var command = new RegisterResident(Guid.NewGuid().ToString("N"), $"Lê Thị {Guid.NewGuid():N}"[..18], new DateOnly(2000, 3, 1 + i), Sex.Female, province)
            {
                Actor = TestActors.Administrator,
                ConfirmedNotDuplicate = true,
            };
            var holder = Assert.IsType<Registered>(await cluster.Client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident.PersonalIdNumber;
            await CardSteps.IssueAsync(cluster.Client, holder, CardReason.FirstCard, new DateOnly(2019, 1, 1));
            holders.Add(holder);
        }

        var sweep = cluster.Client.CardExpirySweep(province, VietnamCalendar.Today(TimeProvider.System));
        await sweep.StartAsync();
        var atKill = await Eventually.ValueAsync(sweep.GetProgressAsync, static progress => progress.Pages >= 1, Eventually.MinimumBound, "the first page is stored");
        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(sweep);
        await cluster.KillSiloAsync(cluster.Silos.Single(silo => silo.SiloAddress.Equals(host)));

        var done = await Eventually.ValueAsync(sweep.GetProgressAsync, static progress => progress.Done, Eventually.MinimumBound, "the sweep finishes on another silo");

        Assert.False(atKill.Done, "The sweep finished before its silo was killed; the test proved nothing.");
        Assert.Equal(Cards / 2 + 1, done.Pages);
        Assert.Equal(Cards, await TestDatabase.ScalarAsync<long>(scratch.ConnectionString,
            "SELECT count(*) FROM registry.identity_card_event WHERE province_code = $1 AND kind = 'cardExpired'", province));
        Assert.Equal(Cards, await TestDatabase.ScalarAsync<long>(scratch.ConnectionString,
            "SELECT count(DISTINCT document_number) FROM registry.identity_card_event WHERE province_code = $1 AND kind = 'cardExpired'", province));
        foreach (var holder in holders)
        {
            var history = await cluster.Client.Citizen(holder).GetHistoryAsync();
            Assert.Single(history, entry => entry.Kind == ResidentChangeKind.IdentityCard && entry.Reason == "expired");
        }

        Assert.NotEqual(host, await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(sweep));
    }
}
