using Registry.Contracts.Access;
using Registry.Domain.Access;

namespace Registry.Domain.Tests.Access;

/// <summary>An officer acts for their own province only, an administrator for all, and nobody else writes.</summary>
public sealed class JurisdictionTests
{
    private static readonly Actor HanoiOfficer = new("officer-1", ActorRole.ProvincialOfficer, "001");
    private static readonly Actor Administrator = new("admin-1", ActorRole.CentralAdministrator, null);

    /// <summary>The cases that are allowed: the officer's own province, any province for an administrator.</summary>
    [Theory]
    [InlineData(ActorRole.ProvincialOfficer, "001", "001")]
    [InlineData(ActorRole.CentralAdministrator, null, "001")]
    [InlineData(ActorRole.CentralAdministrator, null, "079")]
    public void An_actor_within_their_jurisdiction_is_not_refused(ActorRole role, string? ownProvince, string province) =>
        Assert.Null(Jurisdiction.RefusalFor(new Actor("someone", role, ownProvince), province, "writes for residents of"));

    /// <summary>An officer of another province is refused, and the reason names both provinces and the act.</summary>
    [Fact]
    public void An_officer_of_another_province_is_refused_naming_both_provinces() =>
        Assert.Equal("An officer of province 001 registers moves into that province only; this is 079.",
            Jurisdiction.RefusalFor(HanoiOfficer, "079", "registers moves into"));

    /// <summary>Roles that never write are refused whatever the province, even one they are tied to.</summary>
    [Theory]
    [InlineData(ActorRole.MinistryPartner, null)]
    [InlineData(ActorRole.Citizen, null)]
    [InlineData(ActorRole.Citizen, "001")]
    [InlineData(ActorRole.Operator, null)]
    public void Partners_citizens_and_operators_are_refused(ActorRole role, string? ownProvince) =>
        Assert.Equal("Only provincial officers and central administrators write to the registry.",
            Jurisdiction.RefusalFor(new Actor("someone", role, ownProvince), "001", "writes for residents of"));

    /// <summary>An officer without a province (a damaged token) writes for no province, not even a missing one.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("001")]
    public void An_officer_without_a_province_is_refused(string? province) =>
        Assert.NotNull(Jurisdiction.RefusalFor(HanoiOfficer with { ProvinceCode = null }, province, "writes for residents of"));

    /// <summary>An administrator's jurisdiction does not depend on a province being named.</summary>
    [Fact]
    public void An_administrator_is_not_refused_for_an_unnamed_province() =>
        Assert.Null(Jurisdiction.RefusalFor(Administrator, null, "uploads batches for"));
}
