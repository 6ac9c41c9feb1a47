using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>
/// A cluster of its own whose silos read the time from <see cref="Clock"/>, so that a test moves time past an open
/// window's end instead of waiting for it.
/// </summary>
public sealed class RecordLockClusterFixture : RegistryClusterFixture
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

/// <summary>The system's time plus an offset a test moves forward.</summary>
public sealed class SettableClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>Moves the time forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}

/// <summary>
/// The person's lock against partners, held in the citizen grain's state: partners are shut out while it is locked and
/// once an open window ends (by the grain's clock), the lock follows the person to a new number, and nobody's number
/// stores nothing.
/// </summary>
public sealed class RecordLockTests(RecordLockClusterFixture fixture) : IClassFixture<RecordLockClusterFixture>
{
    private readonly IClusterClient _client = fixture.Client;

    private static SettableClock Clock => RecordLockClusterFixture.Clock;

    /// <summary>An open window lets partners through until its end, judged by the silo's clock, and shuts them out from then on.</summary>
    [Fact]
    public async Task An_open_window_lets_partners_through_until_it_ends()
    {
        var person = await RegisterAsync("Lý Thị Thu", new DateOnly(1988, 6, 1), Sex.Female);
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var now = Clock.GetUtcNow();
        await citizen.SetLockAsync(new RecordLock(RecordLockState.Open, now.AddHours(1), now));

        Assert.Equal(new PartnerView(person, Locked: false), await citizen.GetForPartnerAsync());

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False((await citizen.GetForPartnerAsync()).Locked);

        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(PartnerView.LockedOut, await citizen.GetForPartnerAsync());
        Assert.Equal(RecordLockState.Open, (await citizen.GetLockAsync())!.State);
    }

    /// <summary>Locked shuts partners out and keeps the record from them; unlocked lets them through again.</summary>
    [Fact]
    public async Task Locking_and_unlocking_shuts_partners_out_and_lets_them_in()
    {
        var person = await RegisterAsync("Hồ Văn Minh", new DateOnly(1979, 2, 2), Sex.Male);
        var citizen = _client.Citizen(person.PersonalIdNumber);

        var locked = new RecordLock(RecordLockState.Locked, null, Clock.GetUtcNow());
        Assert.Equal(locked, await citizen.SetLockAsync(locked));
        Assert.Equal(PartnerView.LockedOut, await citizen.GetForPartnerAsync());

        await citizen.SetLockAsync(new RecordLock(RecordLockState.Unlocked, null, Clock.GetUtcNow()));
        Assert.Equal(new PartnerView(person, Locked: false), await citizen.GetForPartnerAsync());
    }

    /// <summary>A person who gets a new number (a corrected birth year) keeps their lock under it, and the old number answers the same.</summary>
    [Fact]
    public async Task The_lock_follows_the_person_to_a_new_number()
    {
        var person = await RegisterAsync("Đặng Văn Lâm", new DateOnly(1985, 3, 3), Sex.Male);
        await _client.Citizen(person.PersonalIdNumber).SetLockAsync(new RecordLock(RecordLockState.Locked, null, Clock.GetUtcNow()));

        var correction = new AmendResident(Guid.NewGuid().ToString("N"), TestActors.Administrator, "Sai năm sinh", "TA-3/2026",
            [new FieldChange("birthDate", "1986-03-03")]);
        var renumbered = Assert.IsType<Changed>(await _client.AmendApprovedAsync(person.PersonalIdNumber, correction)).Resident;

        Assert.NotEqual(person.PersonalIdNumber, renumbered.PersonalIdNumber);
        Assert.True((await _client.Citizen(renumbered.PersonalIdNumber).GetForPartnerAsync()).Locked);
        Assert.True((await _client.Citizen(person.PersonalIdNumber).GetForPartnerAsync()).Locked);
    }

    /// <summary>A number nobody holds takes no lock and stores nothing; partners learn nothing from it but nobody.</summary>
    [Fact]
    public async Task A_number_nobody_holds_takes_no_lock_and_stores_nothing()
    {
        var nobody = Contracts.Identity.PersonalIdNumber.Create(Contracts.Identity.IdNumberPrefix.For("001", Sex.Male, new DateOnly(1950, 1, 1)), 999_998);
        var before = await StoredStatesAsync();

        Assert.Null(await _client.Citizen(nobody).SetLockAsync(new RecordLock(RecordLockState.Locked, null, Clock.GetUtcNow())));

        Assert.Null(await _client.Citizen(nobody).GetLockAsync());
        Assert.Equal(PartnerView.Nobody, await _client.Citizen(nobody).GetForPartnerAsync());
        Assert.Equal(before, await StoredStatesAsync());
    }

    private async Task<ResidentRecord> RegisterAsync(string name, DateOnly birthDate, Sex sex)
    {
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), name, birthDate, sex, "001") { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
        return Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
    }

    private async Task<(long States, long Versions)> StoredStatesAsync() =>
        (await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT count(*) FROM {TestDatabase.RequestStates}"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT coalesce(sum(version), 0)::bigint FROM {TestDatabase.RequestStates}"));
}
