using System.Text;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Identity;
using Registry.Domain.Residents;
using Registry.Grains.Identity;
using Registry.Grains.Residents;
using Registry.Silo.Storage;

namespace Registry.Unit.Tests.Storage;

/// <summary>Stored grain state: plain JSON that round-trips every state type and names no CLR type.</summary>
public sealed class JsonGrainStateSerializerTests
{
    private static readonly JsonGrainStateSerializer Serializer = new();

    private static readonly ResidentRecord Resident = new(
        PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1990, 5, 17)), 123_456),
        "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "001", "001", new DateTimeOffset(2026, 11, 28, 4, 0, 0, TimeSpan.Zero));

    /// <summary>A citizen's state round-trips, and its JSON is readable, with the number as a plain string.</summary>
    [Fact]
    public void Citizen_state_round_trips_as_readable_json()
    {
        var mother = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1965, 1, 2)), 42);
        var resident = Resident with
        {
            OtherNames = ["Ánh Nguyễn"],
            Ethnicity = "Kinh",
            Nationality = NationalityStatus.UndeterminedVietnameseOrigin,
            IdentityCertificate = new IdentityCertificate(new DateOnly(2025, 1, 1), "Phường Hàng Bạc", new DateOnly(2024, 1, 1)),
            Family = FamilyLinks.None with { Mother = mother },
            PreviousNumbers = [mother],
        };
        var actor = new Actor("officer-7", ActorRole.ProvincialOfficer, "001");
        var state = new CitizenState
        {
            Resident = resident,
            Version = 3,
            History = [new ResidentChange("key-1", ResidentChangeKind.Registration, resident.RegisteredAt, actor, "record", null, "001190123456", null, null)],
            PendingCounts = [new OwedCount("001", new ResidentCountChange("registration:001190123456", resident.PersonalIdNumber, +1, ResidentCountReason.Registration))],
            ProjectionPending = true,
            SupersededBy = mother,
        };

        var bytes = Serializer.Serialize(state);
        var json = Encoding.UTF8.GetString(bytes.ToArray());
        var back = Serializer.Deserialize<CitizenState>(bytes);

        Assert.Equal(resident, back.Resident);
        Assert.Equal(state.History, back.History);
        Assert.Equal(state.PendingCounts, back.PendingCounts);
        Assert.Equal((3L, true, mother, (PersonalIdNumber?)null), (back.Version, back.ProjectionPending, back.SupersededBy, back.RenumberingTo));
        Assert.Contains("\"personalIdNumber\":\"001190123456\"", json, StringComparison.Ordinal);
        Assert.Contains("\"mother\":\"001165000042\"", json, StringComparison.Ordinal);
        Assert.Contains("Nguyễn Thị Ánh", json, StringComparison.Ordinal);
        Assert.Contains("\"sex\":\"female\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Registry.", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isAlive", json, StringComparison.Ordinal);
        Assert.DoesNotContain("hasPendingEffects", json, StringComparison.Ordinal);
        Assert.DoesNotContain("hasUnfinishedWork", json, StringComparison.Ordinal);
    }

    /// <summary>A record stored before the full person record existed reads with the new fields at their defaults.</summary>
    [Fact]
    public void A_record_stored_by_the_first_version_still_reads()
    {
        var json = Encoding.UTF8.GetBytes("""{"resident":{"personalIdNumber":"001190123456","fullName":"Nguyễn Thị Ánh","birthDate":"1990-05-17","sex":"female","birthRegistrationProvince":"001","permanentResidenceProvince":"001","registeredAt":"2026-11-28T04:00:00+00:00"},"provinceCountPending":false}""");

        var back = Serializer.Deserialize<CitizenState>(new BinaryData(json));

        Assert.Equal(Resident, back.Resident);
        Assert.Equal((NationalityStatus.Vietnamese, 0, true), (back.Resident!.Nationality, back.Resident.OtherNames.Count, back.Resident.IsAlive));
    }

    /// <summary>Registration and allocator states round-trip too.</summary>
    [Fact]
    public void Registration_and_allocator_states_round_trip()
    {
        var registration = new RegistrationState(new RegisterResident("key-1", Resident.FullName, Resident.BirthDate, Resident.Sex, "001"), Resident);
        var allocator = new AllocatorState(SerialPermutation.NewKey(), 300);

        Assert.Equal(registration, Serializer.Deserialize<RegistrationState>(Serializer.Serialize(registration)));
        var allocatorBack = Serializer.Deserialize<AllocatorState>(Serializer.Serialize(allocator));
        Assert.Equal(allocator.PermutationKey, allocatorBack.PermutationKey);
        Assert.Equal(allocator.LeasedUpTo, allocatorBack.LeasedUpTo);
    }

    /// <summary>A stored number that is not a valid ID number is refused on read rather than loaded.</summary>
    [Fact]
    public void A_corrupt_number_in_storage_is_refused()
    {
        var json = Encoding.UTF8.GetBytes("""{"resident":{"personalIdNumber":"12345","fullName":"x","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"001","permanentResidenceProvince":"001","registeredAt":"2026-01-01T00:00:00Z"},"provinceCountPending":false}""");

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => Serializer.Deserialize<CitizenState>(new BinaryData(json)));
    }

    /// <summary>A household move's stored outcome, moved or refused, reads back as it was stored.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_household_move_s_outcome_reads_back(bool movedWhole)
    {
        HouseholdOutcome outcome = movedWhole
            ? new HouseholdMoved([new ResidentView(Resident, 2)], Replayed: false)
            : new HouseholdRefused(new Refusal(RefusalKind.Conflict, "The household cannot move whole; nobody moved.", [new FieldError("members", "dead")]),
                [new HouseholdMemberResult(Resident.PersonalIdNumber,
                    new Refusal(RefusalKind.Conflict, "The relocation conflicts with the record; nothing was changed.", [new FieldError("destination", "dead")]), MovedBack: false)]);
        var state = new HouseholdRelocationState { Command = Household }.WithOutcome(outcome);

        var back = Serializer.Deserialize<HouseholdRelocationState>(Serializer.Serialize(state));

        Assert.Equal(Household, back.Command);
        Assert.Equal(Describe(outcome), Describe(back.Outcome));
    }

    /// <summary>
    /// A household move stored before the key had one name (<c>householdRelocationId</c>) and the outcome a readable form
    /// (the abstract outcome written as <c>{}</c>) reads as its request, not yet answered, once given the grain's key.
    /// </summary>
    [Fact]
    public void A_household_move_stored_by_an_earlier_version_still_reads()
    {
        var json = Encoding.UTF8.GetBytes("""{"command":{"householdRelocationId":"key-1","actor":{"id":"officer-7","role":"provincialOfficer","provinceCode":"048"},"members":["001190123456"],"destination":{"provinceCode":"048","communeCode":"20194","address":"20 Bạch Đằng"},"movedOn":"2026-04-01"},"outcome":{}}""");

        var back = Serializer.Deserialize<HouseholdRelocationState>(new BinaryData(json)).KeyedBy(RegistryGrains.HouseholdRelocationKeyOf("household:key-1"));

        Assert.Equal(Household, back.Command);
        Assert.Null(back.Outcome);
        Assert.Contains("\"idempotencyKey\":\"key-1\"", Encoding.UTF8.GetString(Serializer.Serialize(back).ToArray()), StringComparison.Ordinal);
    }

    private static readonly RelocateHousehold Household = new("key-1", new Actor("officer-7", ActorRole.ProvincialOfficer, "048"),
        [Resident.PersonalIdNumber], new ResidenceAddress("048", "20194", "20 Bạch Đằng"), new DateOnly(2026, 4, 1));

    // Arrays compare by reference in records: compare the outcome as its JSON, which names every value.
    private static string Describe(HouseholdOutcome? outcome) => outcome switch
    {
        null => "none",
        HouseholdMoved moved => "moved " + System.Text.Json.JsonSerializer.Serialize(moved),
        HouseholdRefused refused => "refused " + System.Text.Json.JsonSerializer.Serialize(refused),
        _ => outcome.GetType().Name,
    };
}
