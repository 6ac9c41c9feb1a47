using System.Text;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
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
        var state = new CitizenState(Resident, ProvinceCountPending: true);

        var bytes = Serializer.Serialize(state);
        var json = Encoding.UTF8.GetString(bytes.ToArray());

        Assert.Equal(state, Serializer.Deserialize<CitizenState>(bytes));
        Assert.Contains("\"personalIdNumber\":\"001190123456\"", json, StringComparison.Ordinal);
        Assert.Contains("Nguyễn Thị Ánh", json, StringComparison.Ordinal);
        Assert.Contains("\"sex\":\"female\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Registry.", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
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
}
