using Registry.Contracts.Access;

namespace Registry.TestSupport;

/// <summary>The actors tests act as.</summary>
public static class TestActors
{
    /// <summary>A central administrator: may write anyone and correct birth dates and sexes.</summary>
    public static Actor Administrator { get; } = new("test-central-admin", ActorRole.CentralAdministrator, null);

    /// <summary>Another central administrator: the second official who approves what <see cref="Administrator"/> or an officer proposed.</summary>
    public static Actor SecondAdministrator { get; } = new("test-central-admin-2", ActorRole.CentralAdministrator, null);

    /// <summary>A second officer of <paramref name="provinceCode"/>, who may approve what <see cref="Officer"/> of it proposed.</summary>
    public static Actor SecondOfficer(string provinceCode) => new($"test-officer-{provinceCode}-2", ActorRole.ProvincialOfficer, provinceCode);

    /// <summary>An officer of <paramref name="provinceCode"/>.</summary>
    public static Actor Officer(string provinceCode) => new($"test-officer-{provinceCode}", ActorRole.ProvincialOfficer, provinceCode);

    /// <summary>A ministry partner: reads, never writes.</summary>
    public static Actor MinistryPartner { get; } = new("test-ministry", ActorRole.MinistryPartner, null);

    /// <summary>An operator: dashboard, health and metrics, no personal data.</summary>
    public static Actor Operator { get; } = new("test-operator", ActorRole.Operator, null);

    /// <summary>The citizen whose personal ID number is <paramref name="personalIdNumber"/>.</summary>
    public static Actor Citizen(string personalIdNumber) => new(personalIdNumber, ActorRole.Citizen, null);

    /// <summary>The ministry partner <paramref name="partnerId"/>, e.g. <c>ministry-of-health</c>.</summary>
    public static Actor Partner(string partnerId) => new(partnerId, ActorRole.MinistryPartner, null);
}
