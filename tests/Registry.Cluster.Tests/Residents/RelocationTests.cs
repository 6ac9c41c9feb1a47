using Orleans.Storage;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Residents;
using Registry.Grains;
using Registry.Grains.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>A three-silo cluster and a database of its own for the relocation tests: every count in it comes from grains.</summary>
public sealed class RelocationClusterFixture : RegistryClusterFixture
{
    /// <summary>Communes the tests move people into: two in Hà Nội, one in Hồ Chí Minh, one in Đà Nẵng.</summary>
    public static readonly (string Province, string Commune)[] Communes = [("001", "00004"), ("001", "00007"), ("079", "26734"), ("048", "20194")];

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var (province, commune) in Communes)
        {
            Assert.Null(await Client.Province(province).SetCommuneAsync(new Commune(commune, "Phường " + commune)));
        }
    }
}

/// <summary>
/// Relocations through grain calls on three silos with PostgreSQL persistence: the move and its two province counts
/// happen together, once per relocation id, and the counters agree with the read model afterwards.
/// </summary>
public sealed partial class RelocationTests(RelocationClusterFixture fixture) : IClassFixture<RelocationClusterFixture>
{
    private readonly IClusterClient _client = fixture.Client;

    /// <summary>A move between provinces: the record, the history, the read model and both provinces' counters follow.</summary>
    [Fact]
    public async Task A_relocation_moves_the_person_and_both_counts()
    {
        var person = await RegisterAsync("001");
        var (hanoi, hcmc) = (await CountsAsync("001"), await CountsAsync("079"));

        var moved = Assert.IsType<Changed>(await _client.Citizen(person.PersonalIdNumber).RelocateAsync(Move("079", "26734", "45 Lê Lợi, Bến Nghé")));

        Assert.Equal(("079", "26734", "45 Lê Lợi, Bến Nghé"), (moved.Resident.PermanentResidenceProvince, moved.Resident.PermanentResidenceCommune, moved.Resident.PermanentAddress));
        Assert.Equal(person.PersonalIdNumber, moved.Resident.PersonalIdNumber);
        Assert.Equal(2, moved.Version);
        var entry = (await _client.Citizen(person.PersonalIdNumber).GetHistoryAsync()).Last();
        Assert.Equal((ResidentChangeKind.Relocation, "001//", "079/26734/45 Lê Lợi, Bến Nghé"), (entry.Kind, entry.OldValue, entry.NewValue));
        var (hanoiAfter, hcmcAfter) = (await CountsAsync("001"), await CountsAsync("079"));
        Assert.Equal((hanoi.Residents - 1, hanoi.Departures + 1), (hanoiAfter.Residents, hanoiAfter.Departures));
        Assert.Equal((hcmc.Residents + 1, hcmc.Arrivals + 1), (hcmcAfter.Residents, hcmcAfter.Arrivals));
        Assert.Equal("079", await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT permanent_residence_province FROM registry.resident WHERE personal_id = $1", person.PersonalIdNumber.Value));
    }

    /// <summary>A move within a province changes the address and commune; no count moves.</summary>
    [Fact]
    public async Task A_move_within_a_province_changes_no_count()
    {
        var person = await RegisterAsync("001");
        var before = await CountsAsync("001");

        Assert.IsType<Changed>(await _client.Citizen(person.PersonalIdNumber).RelocateAsync(Move("001", "00007", "3 Tràng Tiền")));

        Assert.Equal(before, await CountsAsync("001"));
    }

    /// <summary>The same relocation id again is answered as a replay and counted once; reused for another move, it is refused.</summary>
    [Fact]
    public async Task A_repeated_relocation_has_the_effect_of_one()
    {
        var person = await RegisterAsync("001");
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var move = Move("048", "20194", "9 Bạch Đằng");
        Assert.False(Assert.IsType<Changed>(await citizen.RelocateAsync(move)).Replayed);
        var counts = await CountsAsync("048");
        var storage = await StorageAsync();

        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => citizen.RelocateAsync(move)));
        var reused = Assert.IsType<ChangeRefused>(await citizen.RelocateAsync(move with { Destination = move.Destination with { Address = "10 Bạch Đằng" } })).Refusal;

        Assert.All(again, outcome => Assert.True(Assert.IsType<Changed>(outcome).Replayed));
        Assert.Equal((RefusalKind.Conflict, "idempotencyKey"), (reused.Kind, reused.Errors.Single().Field));
        Assert.Equal(counts, await CountsAsync("048"));
        Assert.Equal(storage, await StorageAsync());
    }

    /// <summary>Two concurrent moves based on the same reading: one wins, the other is refused and changes nothing.</summary>
    [Fact]
    public async Task Of_two_concurrent_relocations_one_wins_and_the_other_conflicts()
    {
        var person = await RegisterAsync("001");
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var version = (await citizen.GetViewAsync())!.Version;

        var outcomes = await Task.WhenAll(
            citizen.RelocateAsync(Move("079", "26734", "1 Nguyễn Huệ") with { ExpectedVersion = version }),
            citizen.RelocateAsync(Move("048", "20194", "2 Trần Phú") with { ExpectedVersion = version }));

        var winner = Assert.Single(outcomes.OfType<Changed>());
        var loser = Assert.IsType<ChangeRefused>(Assert.Single(outcomes, outcome => outcome is ChangeRefused)).Refusal;
        Assert.Equal((RefusalKind.Conflict, "expectedVersion"), (loser.Kind, loser.Errors.Single().Field));
        Assert.Equal(winner.Resident, await citizen.GetAsync());
        Assert.Single(await citizen.GetHistoryAsync(), entry => entry.Kind == ResidentChangeKind.Relocation);
    }

    /// <summary>Every bad relocation is refused naming the field, and nothing is written anywhere.</summary>
    [Fact]
    public async Task Bad_relocations_are_refused_and_nothing_changes()
    {
        var person = await RegisterAsync("001");
        var citizen = _client.Citizen(person.PersonalIdNumber);
        Assert.IsType<Changed>(await citizen.RelocateAsync(Move("001", "00004", "5 Hàng Gai")));
        var dead = await RegisterAsync("001");
        Assert.IsType<Changed>(await _client.RecordApprovedDeathAsync(dead.PersonalIdNumber,
            new RecordDeath("death-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, new DateOnly(2026, 1, 2), "Hà Nội", "KT-1")));
        var nobody = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Male, new DateOnly(1950, 1, 1)), 999_998);
        var storage = await StorageAsync();

        (ChangeOutcome Outcome, RefusalKind Kind, string Field)[] refused =
        [
            (await citizen.RelocateAsync(Move("001", "00004", " 5 Hàng Gai ")), RefusalKind.Invalid, "destination"),
            (await citizen.RelocateAsync(Move("999", "00004", "1 Phố Huế")), RefusalKind.Invalid, "destination.provinceCode"),
            (await citizen.RelocateAsync(Move("079", "00004", "1 Phố Huế")), RefusalKind.Invalid, "destination.communeCode"),
            (await citizen.RelocateAsync(Move("079", "2673", "1 Phố Huế")), RefusalKind.Invalid, "destination.communeCode"),
            (await citizen.RelocateAsync(Move("079", "26734", "  ")), RefusalKind.Invalid, "destination.address"),
            (await citizen.RelocateAsync(Move("079", "26734", "1 Phố\u200B Huế")), RefusalKind.Invalid, "destination.address"),
            (await citizen.RelocateAsync(Move("079", "26734", "1 Lê Lợi") with { MovedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3) }), RefusalKind.Invalid, "movedOn"),
            (await citizen.RelocateAsync(Move("079", "26734", "1 Lê Lợi") with { IdempotencyKey = "" }), RefusalKind.Invalid, "idempotencyKey"),
            (await citizen.RelocateAsync(Move("079", "26734", "1 Lê Lợi") with { ExpectedVersion = 1 }), RefusalKind.Conflict, "expectedVersion"),
            (await citizen.RelocateAsync(Move("079", "26734", "1 Lê Lợi") with { Actor = TestActors.Officer("001") }), RefusalKind.Forbidden, "actor"),
            (await _client.Citizen(dead.PersonalIdNumber).RelocateAsync(Move("079", "26734", "1 Lê Lợi")), RefusalKind.Conflict, "destination"),
            (await _client.Citizen(nobody).RelocateAsync(Move("079", "26734", "1 Lê Lợi")), RefusalKind.NotFound, "personalIdNumber"),
        ];

        Assert.All(refused, expected =>
        {
            var refusal = Assert.IsType<ChangeRefused>(expected.Outcome).Refusal;
            Assert.Equal((expected.Kind, expected.Field), (refusal.Kind, refusal.Errors.Single().Field));
            Assert.False(string.IsNullOrWhiteSpace(refusal.Errors.Single().Message));
        });
        Assert.Equal(storage, await StorageAsync());
    }

    /// <summary>
    /// A move stored with its counts still owed (the silo died right after storing it) is finished by the sweep of
    /// unfinished work, without anybody calling the person again; the counters then agree with the read model.
    /// </summary>
    [Fact]
    public async Task A_move_interrupted_after_its_intent_is_finished_by_the_sweep()
    {
        var person = await RegisterAsync("001");
        var (hanoi, danang) = (await CountsAsync("001"), await CountsAsync("048"));
        var moved = person with { PermanentResidenceProvince = "048", PermanentResidenceCommune = "20194", PermanentAddress = "7 Hùng Vương" };
        var operation = $"relocation:{person.PersonalIdNumber}:interrupted";
        // What RelocateAsync stores before telling anyone, written straight to storage while the person is not active.
        // The mark it makes first is inserted only then: a mark inserted earlier lets the sweep wake the person before the
        // write, find nothing owed in the old state and clear the mark, and the move is never finished (seen once under load).
        await DeactivateAllAsync();
        var storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);
        var stored = new GrainState<CitizenState>();
        var grainId = GrainId.Create("citizen", person.PersonalIdNumber.Value);
        await storage.ReadStateAsync(RegistryStorage.CitizenState, grainId, stored);
        stored.State = stored.State! with
        {
            Resident = moved,
            Version = 2,
            PendingCounts =
            [
                new OwedCount("001", new ResidentCountChange(operation + ":departure", person.PersonalIdNumber, -1, ResidentCountReason.Departure)),
                new OwedCount("048", new ResidentCountChange(operation + ":arrival", person.PersonalIdNumber, +1, ResidentCountReason.Arrival)),
            ],
            ProjectionPending = true,
        };
        await storage.WriteStateAsync(RegistryStorage.CitizenState, grainId, stored);
        await TestDatabase.ScalarAsync<int>(fixture.ConnectionString,
            "INSERT INTO registry.unfinished_citizen (personal_id, version, marked_at) VALUES ($1, 2, now() - interval '1 minute') RETURNING 1",
            person.PersonalIdNumber.Value);

        await Eventually.TrueAsync(async () => !await IsMarkedAsync(person.PersonalIdNumber), RegistryTestCluster.UnfinishedWorkPatience,
            "the sweep of unfinished work finishes the interrupted move and clears its mark");

        Assert.Equal((hanoi.Residents - 1, danang.Residents + 1), ((await CountsAsync("001")).Residents, (await CountsAsync("048")).Residents));
        Assert.Equal("048", await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT permanent_residence_province FROM registry.resident WHERE personal_id = $1", person.PersonalIdNumber.Value));
        await AssertNoDriftAsync();
    }

    /// <summary>
    /// Checking a relocation is a read-only call: it answers from the record as stored and runs none of the effects a
    /// change still owes (here a count no province can apply), so it never writes while other read-only calls of the
    /// person interleave with it. (Before, it first tried to finish what was owed, and failed with it.)
    /// </summary>
    [Fact]
    public async Task Checking_a_relocation_runs_none_of_the_effects_still_owed()
    {
        var person = await RegisterAsync("001");
        await DeactivateAllAsync();
        var storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);
        var stored = new GrainState<CitizenState>();
        var grainId = GrainId.Create("citizen", person.PersonalIdNumber.Value);
        await storage.ReadStateAsync(RegistryStorage.CitizenState, grainId, stored);
        var original = stored.State!;
        // A count of two people at once is refused by every counter shard: the effect stays owed whoever tries it.
        stored.State = stored.State! with
        {
            PendingCounts = [new OwedCount("001", new ResidentCountChange($"unfinishable:{person.PersonalIdNumber}", person.PersonalIdNumber, +2, ResidentCountReason.Registration))],
        };
        await storage.WriteStateAsync(RegistryStorage.CitizenState, grainId, stored);
        var before = await StorageAsync();

        var answer = await _client.Citizen(person.PersonalIdNumber).CheckRelocationAsync(Move("048", "20194", "3 Trần Phú"));

        Assert.Null(answer);
        Assert.Equal(before, await StorageAsync());
        // The person as they were, so that the fixture's other tests see no unfinishable count.
        await DeactivateAllAsync();
        stored.State = original;
        await storage.WriteStateAsync(RegistryStorage.CitizenState, grainId, stored);
    }

    /// <summary>
    /// A relocation whose state write failed (connection lost) is not taken for done: the sweep of unfinished work, which
    /// wakes the person, counts and projects nothing, and the same request again moves the person, stores the move and
    /// counts it once. (Before, the sweep finished the effects of the unstored move: people counted and searchable
    /// without a stored record, found by the 1,000,000-person merger run.)
    /// </summary>
    [Fact]
    public async Task A_relocation_whose_write_failed_is_not_taken_for_done()
    {
        var person = await RegisterAsync("001");
        var (hanoi, danang) = (await CountsAsync("001"), await CountsAsync("048"));
        var move = Move("048", "20194", "9 Bạch Đằng");

        await FailingStateWriteOfAsync(person.PersonalIdNumber, () => _client.Citizen(person.PersonalIdNumber).RelocateAsync(move));
        // The mark made before the write stays; the sweep wakes the person and must find nothing to finish.
        await Eventually.TrueAsync(async () => !await IsMarkedAsync(person.PersonalIdNumber), RegistryTestCluster.UnfinishedWorkPatience,
            "the sweep of unfinished work wakes the person and clears the mark of the failed write");

        var countedAfterFailure = ((await CountsAsync("001")).Residents, (await CountsAsync("048")).Residents);
        var projectedAfterFailure = await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT permanent_residence_province FROM registry.resident WHERE personal_id = $1", person.PersonalIdNumber.Value);
        var moved = Assert.IsType<Changed>(await _client.Citizen(person.PersonalIdNumber).RelocateAsync(move));

        Assert.Equal((hanoi.Residents, danang.Residents), countedAfterFailure);
        Assert.Equal("001", projectedAfterFailure);
        Assert.False(moved.Replayed);
        Assert.Equal("048", moved.Resident.PermanentResidenceProvince);
        Assert.Equal(1, await TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = $1 AND convert_from(payloadbinary, 'UTF8') LIKE $2",
            RegistryStorage.CitizenState, $"%\"permanentAddress\":\"9 Bạch Đằng\"%"));
        Assert.Equal((hanoi.Residents - 1, danang.Residents + 1), ((await CountsAsync("001")).Residents, (await CountsAsync("048")).Residents));
        await AssertNoDriftAsync();
    }

    /// <summary>Many people moving concurrently between the same few provinces: afterwards every counter equals the read model.</summary>
    [Fact]
    public async Task After_many_concurrent_moves_the_counters_agree_with_the_read_model()
    {
        var people = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => RegisterAsync("001")));
        var destinations = RelocationClusterFixture.Communes;

        var outcomes = await Task.WhenAll(people.SelectMany((person, i) => Enumerable.Range(0, 3).Select(async round =>
        {
            await Task.Yield();
            var (province, commune) = destinations[(i + round) % destinations.Length];
            return await _client.Citizen(person.PersonalIdNumber).RelocateAsync(Move(province, commune, $"{i} Đường {round}"));
        })));

        Assert.All(outcomes, outcome => Assert.IsType<Changed>(outcome));
        await AssertNoDriftAsync();
    }

    /// <summary>A household moves whole: every member, each with their own relocation; the same request again changes nothing.</summary>
    [Fact]
    public async Task A_household_moves_whole_and_a_repeated_request_changes_nothing()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RegisterAsync("001")));
        var (hanoi, hcmc) = (await CountsAsync("001"), await CountsAsync("079"));
        var command = Household([.. members.Select(member => member.PersonalIdNumber)], "079", "26734");

        var moved = Assert.IsType<HouseholdMoved>(await _client.HouseholdRelocation(command.IdempotencyKey).RelocateAsync(command));
        var storage = await StorageAsync();
        var again = Assert.IsType<HouseholdMoved>(await _client.HouseholdRelocation(command.IdempotencyKey).RelocateAsync(command));
        var reused = Assert.IsType<HouseholdRefused>(await _client.HouseholdRelocation(command.IdempotencyKey).RelocateAsync(command with { Members = command.Members[..2] })).Refusal;

        Assert.All(moved.Members, member => Assert.Equal("079", member.Resident.PermanentResidenceProvince));
        Assert.True(again.Replayed);
        Assert.Equal((RefusalKind.Conflict, "idempotencyKey"), (reused.Kind, reused.Errors.Single().Field));
        Assert.Equal(storage, await StorageAsync());
        Assert.Equal((hanoi.Residents - 3, hcmc.Residents + 3), ((await CountsAsync("001")).Residents, (await CountsAsync("079")).Residents));
        Assert.Equal(0, await RemindersOfAsync(command));
    }

    /// <summary>A household with a member who cannot move (here: dead) moves nobody, and says so member by member.</summary>
    [Fact]
    public async Task A_household_with_a_member_who_cannot_move_moves_nobody()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RegisterAsync("001")));
        Assert.IsType<Changed>(await _client.RecordApprovedDeathAsync(members[1].PersonalIdNumber,
            new RecordDeath("death-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, new DateOnly(2026, 1, 2), "Hà Nội", "KT-2")));
        var command = Household([.. members.Select(member => member.PersonalIdNumber)], "048", "20194");
        var storage = await StorageAsync();

        var refused = Assert.IsType<HouseholdRefused>(await _client.HouseholdRelocation(command.IdempotencyKey).RelocateAsync(command));

        Assert.Equal([false, true, false], refused.Members.Select(member => member.Refusal is not null));
        Assert.Equal(RefusalKind.Conflict, refused.Members[1].Refusal!.Kind);
        Assert.All(refused.Members, member => Assert.False(member.MovedBack));
        Assert.Equal(storage, await StorageAsync());
    }

    /// <summary>
    /// A household move that fails half-way (one member's state write breaks: its PostgreSQL connection is terminated
    /// while the write waits on a row lock) is finished by the household's reminder without anybody repeating the
    /// request: every member ends up moved, the outcome is stored, and the counters agree with the read model.
    /// </summary>
    [Fact]
    public async Task A_household_move_that_failed_half_way_is_finished_without_a_repeat()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RegisterAsync("001")));
        var (hanoi, hcmc) = (await CountsAsync("001"), await CountsAsync("079"));
        var command = Household([.. members.Select(member => member.PersonalIdNumber)], "079", "26734");
        var household = _client.HouseholdRelocation(command.IdempotencyKey);

        await FailingStateWriteOfAsync(members[2].PersonalIdNumber, () => household.RelocateAsync(command));

        // The household's reminder runs at the period of the sweep of unfinished work.
        var outcome = await Eventually.ValueAsync(household.GetOutcomeAsync, static outcome => outcome is not null,
            RegistryTestCluster.UnfinishedWorkPatience, "the household's reminder finishes the move and stores its outcome");

        var moved = Assert.IsType<HouseholdMoved>(outcome);
        Assert.Equal(command.Members, moved.Members.Select(member => member.Resident.PersonalIdNumber));
        Assert.All(moved.Members, member => Assert.Equal("079", member.Resident.PermanentResidenceProvince));
        Assert.Equal((hanoi.Residents - 3, hcmc.Residents + 3), ((await CountsAsync("001")).Residents, (await CountsAsync("079")).Residents));
        Assert.Equal(0, await RemindersOfAsync(command));
        await AssertNoDriftAsync();
    }

    /// <summary>
    /// Undoing a member's move (what a household does when a member is refused after the check) puts the person back
    /// and the counts with them, once; it is refused once the person has moved on.
    /// </summary>
    [Fact]
    public async Task Undoing_a_relocation_puts_the_person_and_the_counts_back_once()
    {
        var person = await RegisterAsync("001");
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var before = (await CountsAsync("001"), await CountsAsync("048"));
        var move = Move("048", "20194", "4 Lê Duẩn");
        Assert.IsType<Changed>(await citizen.RelocateAsync(move));

        var undone = Assert.IsType<Changed>(await citizen.UndoRelocationAsync(move.IdempotencyKey, move.IdempotencyKey + ":undo", TestActors.Administrator));
        var again = Assert.IsType<Changed>(await citizen.UndoRelocationAsync(move.IdempotencyKey, move.IdempotencyKey + ":undo", TestActors.Administrator));

        Assert.Equal((person.PermanentResidenceProvince, person.PermanentResidenceCommune, person.PermanentAddress),
            (undone.Resident.PermanentResidenceProvince, undone.Resident.PermanentResidenceCommune, undone.Resident.PermanentAddress));
        Assert.True(again.Replayed);
        Assert.Equal(before.Item1.Residents, (await CountsAsync("001")).Residents);
        Assert.Equal(before.Item2.Residents, (await CountsAsync("048")).Residents);
        var later = Move("079", "26734", "8 Pasteur");
        Assert.IsType<Changed>(await citizen.RelocateAsync(later));
        Assert.IsType<Changed>(await citizen.RelocateAsync(Move("048", "20194", "5 Lê Duẩn")));
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<ChangeRefused>(await citizen.UndoRelocationAsync(later.IdempotencyKey, later.IdempotencyKey + ":undo", TestActors.Administrator)).Refusal.Kind);
        await AssertNoDriftAsync();
    }

    private static RelocateHousehold Household(PersonalIdNumber[] members, string province, string commune) =>
        new("household-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, members, new ResidenceAddress(province, commune, "12 Nhà chung"), new DateOnly(2026, 4, 1));

    private async Task AssertNoDriftAsync()
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(fixture.ConnectionString);
        var census = await new ResidentCensus(source).CountByProvinceAsync();
        var counted = await Task.WhenAll(ProvinceCatalog.All2024.Select(province => _client.Province(province.Code).GetCountsAsync()));
        Assert.All(counted, counts => Assert.Equal((counts.ProvinceCode, census.GetValueOrDefault(counts.ProvinceCode)), (counts.ProvinceCode, counts.Residents)));
    }

    // A household move's reminder lives only while its outcome is not stored.
    private Task<long> RemindersOfAsync(RelocateHousehold command) =>
        TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%/household:' || $1", command.IdempotencyKey);

    private Task FailingStateWriteOfAsync(PersonalIdNumber person, Func<Task> call) =>
        FailingStateWrites.OfCitizenAsync(fixture.ConnectionString, _client, person, call);

    private Task<bool> IsMarkedAsync(PersonalIdNumber person) =>
        TestDatabase.ScalarAsync<bool>(fixture.ConnectionString,
            "SELECT EXISTS (SELECT 1 FROM registry.unfinished_citizen WHERE personal_id = $1)", person.Value);

    private async Task DeactivateAllAsync() =>
        await _client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private Task<ProvinceCounts> CountsAsync(string province) => _client.Province(province).GetCountsAsync();

    private static Relocate Move(string province, string commune, string address) =>
        new("move-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, new ResidenceAddress(province, commune, address), new DateOnly(2026, 3, 1), null);

    private async Task<ResidentRecord> RegisterAsync(string province)
    {
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), "Người Chuyển " + Guid.NewGuid().ToString("N")[..6], new DateOnly(1985, 5, 5), Sex.Female, province)
        {
            Actor = TestActors.Administrator,
            ConfirmedNotDuplicate = true,
        };
        return Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
    }

    // Every stored grain write bumps a row's version, every count is a ledger row, every projection bumps a row's version.
    private async Task<(long States, long Versions, long Ledger, long ReadModel)> StorageAsync() =>
        (await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT count(*) FROM {TestDatabase.RequestStates}"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT coalesce(sum(version), 0)::bigint FROM {TestDatabase.RequestStates}"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM registry.province_resident_change"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT coalesce(sum(version), 0)::bigint FROM registry.resident"));
}
