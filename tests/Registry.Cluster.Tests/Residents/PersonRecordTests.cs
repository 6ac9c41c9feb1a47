using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>A three-silo cluster of its own for the person record tests.</summary>
public sealed class PersonRecordClusterFixture : RegistryClusterFixture;

/// <summary>
/// The full person record through grain calls on three silos with PostgreSQL persistence: links, issued numbers,
/// undetermined nationality, amendments with history, renumbering, and death.
/// </summary>
public sealed class PersonRecordTests(PersonRecordClusterFixture fixture) : IClassFixture<PersonRecordClusterFixture>
{
    private readonly IClusterClient _client = fixture.Client;

    /// <summary>Every field of the record is stored and read back, and the registration opens the history.</summary>
    [Fact]
    public async Task A_full_record_is_stored_with_its_registration_in_the_history()
    {
        var mother = await RegisterAsync(Command("Lê Thị Hoa", new DateOnly(1960, 2, 3), Sex.Female));
        var command = Command("Trần Minh Khôi", new DateOnly(1992, 8, 19), Sex.Male) with
        {
            OtherNames = ["Khôi Trần"],
            Hometown = "Xã Tam Hiệp, Phúc Thọ, Hà Nội",
            Ethnicity = "Kinh",
            Religion = "Không",
            PermanentAddress = "12 Hàng Bạc, Hoàn Kiếm",
            Family = FamilyLinks.None with { Mother = mother.PersonalIdNumber },
        };

        var person = await RegisterAsync(command);

        var stored = await _client.Citizen(person.PersonalIdNumber).GetAsync();
        Assert.Equal(person, stored);
        Assert.Equal(["Khôi Trần"], stored!.OtherNames);
        Assert.Equal(("Kinh", mother.PersonalIdNumber), (stored.Ethnicity, stored.Family.Mother));
        var registration = Assert.Single(await _client.Citizen(person.PersonalIdNumber).GetHistoryAsync());
        Assert.Equal((ResidentChangeKind.Registration, command.IdempotencyKey, TestActors.Administrator), (registration.Kind, registration.OperationId, registration.Actor));
    }

    /// <summary>A link to a number nobody holds is refused naming the link, and nothing is stored.</summary>
    [Fact]
    public async Task A_link_to_a_person_who_does_not_exist_is_refused_and_nothing_changes()
    {
        var nobody = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Male, new DateOnly(1950, 1, 1)), 999_999);
        var command = Command("Phạm Văn Đồng", new DateOnly(1990, 1, 1), Sex.Male) with { Family = FamilyLinks.None with { Father = nobody } };
        var before = await StorageAsync();

        var rejected = Assert.IsType<RegistrationRefused>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Refusal;

        Assert.Equal("father", Assert.Single(rejected.Errors).Field);
        Assert.Equal(before, await StorageAsync());
    }

    /// <summary>
    /// Two people linked to each other in amendments made at the same time are both linked at once. (Before, each
    /// amendment asked the other person's grain whether they exist while that grain was busy asking back, and both
    /// calls waited until Orleans' response timeout.)
    /// </summary>
    [Fact]
    public async Task Two_people_marrying_each_other_at_the_same_time_do_not_wait_on_each_other()
    {
        var bride = await RegisterAsync(Command("Nguyễn Thị Lan", new DateOnly(1995, 4, 4), Sex.Female));
        var groom = await RegisterAsync(Command("Trần Văn Nam", new DateOnly(1994, 3, 3), Sex.Male));
        AmendResident Marry(PersonalIdNumber spouse) =>
            new("marry-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, "Kết hôn", "ĐKKH-12/2026", [new FieldChange("spouse", spouse.Value)]);

        var answers = await Task.WhenAll(
            _client.Citizen(bride.PersonalIdNumber).AmendAsync(Marry(groom.PersonalIdNumber)),
            _client.Citizen(groom.PersonalIdNumber).AmendAsync(Marry(bride.PersonalIdNumber)));

        Assert.Equal(groom.PersonalIdNumber, Assert.IsType<Changed>(answers[0]).Resident.Family.Spouse);
        Assert.Equal(bride.PersonalIdNumber, Assert.IsType<Changed>(answers[1]).Resident.Family.Spouse);
    }

    /// <summary>A number issued before the registry is kept; the same number cannot be registered twice.</summary>
    [Fact]
    public async Task An_issued_number_is_kept_and_cannot_be_taken_twice()
    {
        var birthDate = new DateOnly(1975, 4, 30);
        var issued = PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Female, birthDate), Random.Shared.Next(0, 999_999));
        var first = Command("Võ Thị Sáu", birthDate, Sex.Female, "079") with { IssuedNumber = issued };

        Assert.Equal(issued, (await RegisterAsync(first)).PersonalIdNumber);

        var second = Command("Võ Thị Sáu", birthDate, Sex.Female, "079") with { IssuedNumber = issued, ConfirmedNotDuplicate = true };
        var before = await StorageAsync();
        var taken = Assert.IsType<RegistrationRefused>(await _client.Registration(second.IdempotencyKey).RegisterAsync(second)).Refusal;
        Assert.Equal((RefusalKind.Conflict, "issuedNumber"), (taken.Kind, Assert.Single(taken.Errors).Field));
        Assert.Contains(issued.Value, taken.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await StorageAsync());
    }

    /// <summary>
    /// When the allocator's next number was already taken by a person imported with a number issued before the
    /// registry, a new registration gets the following number instead; nobody is overwritten.
    /// </summary>
    [Fact]
    public async Task An_allocated_number_held_by_an_imported_person_is_skipped()
    {
        var birthDate = new DateOnly(1958, 9, 2);
        var prefix = IdNumberPrefix.For("011", Sex.Male, birthDate);
        var key = Domain.Identity.SerialPermutation.NewKey();
        var storage = fixture.SiloService<Orleans.Storage.IGrainStorage>(Grains.RegistryStorage.Name);
        await storage.WriteStateAsync(Grains.RegistryStorage.AllocatorState, GrainId.Create("idnumberallocator", prefix.Value),
            new GrainState<Grains.Identity.AllocatorState>(new Grains.Identity.AllocatorState(key, 0)));
        var next = PersonalIdNumber.Create(prefix, new Domain.Identity.SerialPermutation(key).Apply(0));
        var imported = await RegisterAsync(Command("Đinh Văn Hùng", birthDate, Sex.Male, "011") with { IssuedNumber = next });

        var registered = await RegisterAsync(Command("Đinh Văn Hải", birthDate, Sex.Male, "011"));

        Assert.Equal(next, imported.PersonalIdNumber);
        Assert.NotEqual(next, registered.PersonalIdNumber);
        Assert.StartsWith(prefix.Value, registered.PersonalIdNumber.Value, StringComparison.Ordinal);
        Assert.Equal("Đinh Văn Hùng", (await _client.Citizen(next).GetAsync())!.FullName);
    }

    /// <summary>
    /// A person of undetermined nationality is registered with an identity certificate and a number; confirming
    /// their citizenship later keeps the number, the certificate and the history.
    /// </summary>
    [Fact]
    public async Task Undetermined_nationality_then_confirmed_citizenship_keeps_number_and_history()
    {
        var command = Command("Nguyễn Văn Tư", new DateOnly(1968, 1, 1), Sex.Male, "070") with
        {
            Nationality = NationalityStatus.UndeterminedVietnameseOrigin,
            IdentityCertificate = new IdentityCertificate(new DateOnly(2025, 9, 1), "Xã Tân Hòa", new DateOnly(2024, 11, 1)),
        };
        var person = await RegisterAsync(command);

        var confirmed = Assert.IsType<Changed>(await _client.Citizen(person.PersonalIdNumber).AmendAsync(
            new AmendResident("confirm-" + command.IdempotencyKey, TestActors.Officer("070"), "Quốc tịch Việt Nam được xác nhận", "QĐ-45/2026/UBND",
                [new FieldChange("nationality", "vietnamese")])));

        Assert.Equal(person.PersonalIdNumber, confirmed.Resident.PersonalIdNumber);
        Assert.Equal((NationalityStatus.Vietnamese, command.IdentityCertificate), (confirmed.Resident.Nationality, confirmed.Resident.IdentityCertificate));
        var history = await _client.Citizen(person.PersonalIdNumber).GetHistoryAsync();
        Assert.Equal([ResidentChangeKind.Registration, ResidentChangeKind.Amendment], history.Select(entry => entry.Kind));
        Assert.Equal(("undeterminedVietnameseOrigin", "vietnamese"), (history[1].OldValue, history[1].NewValue));
    }

    /// <summary>A correction is kept as history; repeating it has the effect of one; reusing its id for another is refused.</summary>
    [Fact]
    public async Task An_amendment_is_kept_in_history_and_applied_once()
    {
        var person = await RegisterAsync(Command("Đỗ Thị Mai", new DateOnly(1995, 3, 8), Sex.Female));
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var amendment = new AmendResident("amend-" + Guid.NewGuid().ToString("N"), TestActors.Officer("001"), "Sai chính tả", "GKS-778/2026",
            [new FieldChange("fullName", "Đỗ Thị Mây")]);

        var changed = Assert.IsType<Changed>(await _client.AmendApprovedAsync(person.PersonalIdNumber, amendment));
        var replayed = Assert.IsType<Changed>(await _client.AmendApprovedAsync(person.PersonalIdNumber, amendment));
        var reused = Assert.IsType<ChangeRefused>(await _client.AmendApprovedAsync(person.PersonalIdNumber, amendment with { Changes = [new FieldChange("fullName", "Đỗ Mây")] })).Refusal;

        Assert.Equal(("Đỗ Thị Mây", false, true), (changed.Resident.FullName, changed.Replayed, replayed.Replayed));
        Assert.Equal(RefusalKind.Conflict, reused.Kind);
        var history = await citizen.GetHistoryAsync();
        Assert.Equal(2, history.Length);
        Assert.Equal(("fullName", "Đỗ Thị Mai", "Đỗ Thị Mây", "Sai chính tả", "GKS-778/2026"),
            (history[1].Field, history[1].OldValue, history[1].NewValue, history[1].Reason, history[1].DocumentReference));
        Assert.Equal((TestActors.Officer("001"), TestActors.SecondAdministrator), (history[1].Actor, history[1].ApprovedBy));
    }

    /// <summary>Refused amendments (no reason, a birth date by an officer, an unknown link, an unknown person) change nothing.</summary>
    [Fact]
    public async Task Refused_amendments_change_nothing()
    {
        var person = await RegisterAsync(Command("Bùi Văn Nam", new DateOnly(1980, 10, 10), Sex.Male));
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var nobody = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1982, 1, 1)), 999_998);
        var before = await StorageAsync();

        AmendResident Amend(string reason, params FieldChange[] changes) =>
            new("amend-" + Guid.NewGuid().ToString("N"), TestActors.Officer("001"), reason, "QĐ-1", changes);

        Assert.Equal(RefusalKind.Invalid, Assert.IsType<ChangeRefused>(await citizen.AmendAsync(Amend("", new FieldChange("religion", "Không")))).Refusal.Kind);
        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<ChangeRefused>(await citizen.AmendAsync(Amend("Sai", new FieldChange("birthDate", "1981-10-10")))).Refusal.Kind);
        Assert.Equal("spouse", Assert.IsType<ChangeRefused>(await citizen.AmendAsync(Amend("Kết hôn", new FieldChange("spouse", nobody.Value)))).Refusal.Errors.Single().Field);
        Assert.Equal(RefusalKind.NotFound, Assert.IsType<ChangeRefused>(await _client.Citizen(nobody).AmendAsync(Amend("Sai", new FieldChange("religion", "Không")))).Refusal.Kind);

        Assert.Equal(before, await StorageAsync());
        Assert.Equal(person, await citizen.GetAsync());
    }

    /// <summary>
    /// A central administrator's birth-year correction makes the number inconsistent: a new number is issued, the
    /// old one resolves to it and the new one names the old; history moves along and the province count stays.
    /// </summary>
    [Fact]
    public async Task A_correction_that_contradicts_the_number_issues_a_new_one_and_the_old_resolves_to_it()
    {
        var person = await RegisterAsync(Command("Hồ Văn Lâm", new DateOnly(1999, 12, 31), Sex.Male, "004"));
        var residents = (await _client.Province("004").GetCountsAsync()).Residents;
        var amendment = new AmendResident("amend-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, "Sai năm sinh trên giấy khai sinh", "TA-12/2026",
            [new FieldChange("birthDate", "2000-01-01")]);

        var renumbered = Assert.IsType<Changed>(await _client.AmendApprovedAsync(person.PersonalIdNumber, amendment)).Resident;

        Assert.NotEqual(person.PersonalIdNumber, renumbered.PersonalIdNumber);
        Assert.StartsWith("004200", renumbered.PersonalIdNumber.Value, StringComparison.Ordinal);
        Assert.Equal([person.PersonalIdNumber], renumbered.PreviousNumbers);
        Assert.Equal(renumbered, await _client.Citizen(person.PersonalIdNumber).GetAsync());
        var lineage = (await _client.Citizen(person.PersonalIdNumber).GetNumbersAsync())!;
        Assert.Equal((person.PersonalIdNumber, renumbered.PersonalIdNumber), (lineage.Requested, lineage.Current));
        Assert.Equal([person.PersonalIdNumber], lineage.Previous);
        Assert.Equal(renumbered.PersonalIdNumber, (await _client.Citizen(renumbered.PersonalIdNumber).GetNumbersAsync())!.Current);
        Assert.Equal([ResidentChangeKind.Registration, ResidentChangeKind.Amendment, ResidentChangeKind.NumberChange],
            (await _client.Citizen(renumbered.PersonalIdNumber).GetHistoryAsync()).Select(entry => entry.Kind));
        Assert.Equal(residents, (await _client.Province("004").GetCountsAsync()).Residents);

        // Repeated through the old number, the amendment reaches the person and is recognised.
        Assert.True(Assert.IsType<Changed>(await _client.AmendApprovedAsync(person.PersonalIdNumber, amendment)).Replayed);
    }

    /// <summary>
    /// A death is recorded once and leaves the province count; the record is then closed for the address but still
    /// open to corrections of facts.
    /// </summary>
    [Fact]
    public async Task A_death_closes_the_record_except_for_corrections_and_counts_follow()
    {
        var person = await RegisterAsync(Command("Lý Thị Thu", new DateOnly(1940, 6, 6), Sex.Female, "006"));
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var residents = (await _client.Province("006").GetCountsAsync()).Residents;
        var death = new RecordDeath("death-" + Guid.NewGuid().ToString("N"), TestActors.Officer("006"), new DateOnly(2026, 11, 1), "Bệnh viện tỉnh Cao Bằng", "KT-5/2026");

        Assert.Equal(RefusalKind.Forbidden, Assert.IsType<ChangeRefused>(await citizen.RecordDeathAsync(death)).Refusal.Kind);
        var dead = Assert.IsType<Changed>(await _client.RecordApprovedDeathAsync(person.PersonalIdNumber, death)).Resident;
        Assert.True(Assert.IsType<Changed>(await _client.RecordApprovedDeathAsync(person.PersonalIdNumber, death)).Replayed);

        Assert.False(dead.IsAlive);
        Assert.Equal(residents - 1, (await _client.Province("006").GetCountsAsync()).Residents);
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<ChangeRefused>(await _client.RecordApprovedDeathAsync(person.PersonalIdNumber, death with { IdempotencyKey = "death-again-" + Guid.NewGuid().ToString("N") })).Refusal.Kind);

        var before = await StorageAsync();
        var address = Assert.IsType<ChangeRefused>(await citizen.AmendAsync(new AmendResident("amend-" + Guid.NewGuid().ToString("N"), TestActors.Officer("006"),
            "Chuyển nhà", "XN-1", [new FieldChange("permanentAddress", "5 Lý Thái Tổ")]))).Refusal;
        Assert.Equal((RefusalKind.Conflict, "permanentAddress"), (address.Kind, address.Errors.Single().Field));
        Assert.Equal(before, await StorageAsync());

        Assert.IsType<Changed>(await citizen.AmendAsync(new AmendResident("amend-" + Guid.NewGuid().ToString("N"), TestActors.Officer("006"),
            "Sai nơi mất", "KT-5/2026-bs", [new FieldChange("deathPlace", "Bệnh viện Đa khoa tỉnh Cao Bằng")])));
        Assert.Equal(residents - 1, (await _client.Province("006").GetCountsAsync()).Residents);
    }

    private static RegisterResident Command(string name, DateOnly birthDate, Sex sex, string province = "001") =>
        new(Guid.NewGuid().ToString("N"), name, birthDate, sex, province) { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };

    private async Task<ResidentRecord> RegisterAsync(RegisterResident command) =>
        Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;

    // Every stored grain write bumps a row's version, and every count is a ledger row: equal sums mean nothing was written.
    private async Task<(long States, long Versions, long Ledger)> StorageAsync() =>
        (await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT count(*) FROM {TestDatabase.RequestStates}"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT coalesce(sum(version), 0)::bigint FROM {TestDatabase.RequestStates}"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM registry.province_resident_change"));
}
