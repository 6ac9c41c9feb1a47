using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Domain.Tests.Residents;

/// <summary>The people, actors and dates the residence decisions are tried on.</summary>
internal static class People
{
    public static readonly DateOnly Today = new(2026, 11, 28);
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);
    public static readonly Actor Admin = new("admin-1", ActorRole.CentralAdministrator, null);
    public static readonly Actor HanoiOfficer = new("officer-1", ActorRole.ProvincialOfficer, "001");
    public static readonly Actor SaigonOfficer = new("officer-79", ActorRole.ProvincialOfficer, "079");

    /// <summary>Born 1990 and registered in Hà Nội (001), living in commune 00001 there.</summary>
    public static readonly ResidentRecord Anh = new(
        PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1990, 5, 17)), 123_456),
        "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "001", "001", Now.AddYears(-1))
    {
        PermanentResidenceCommune = "00001",
        PermanentAddress = "12 Hàng Bạc",
    };

    public static readonly ResidentRecord DeadAnh = Anh with { Death = new DeathRecord(new DateOnly(2026, 1, 2), "Bệnh viện Bạch Mai", "KT-01/2026") };

    /// <summary>An address in Hồ Chí Minh City (079).</summary>
    public static readonly ResidenceAddress Saigon = new("079", "26734", "5 Lê Lợi");
}
