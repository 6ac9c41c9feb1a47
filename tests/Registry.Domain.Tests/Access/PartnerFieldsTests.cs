using Registry.Contracts.Events;
using Registry.Domain.Access;
using Registry.Domain.Tests.Residents;

namespace Registry.Domain.Tests.Access;

/// <summary>A partner receives exactly the fields it asked for and its policy gives, of a record and of an event.</summary>
public sealed class PartnerFieldsTests
{
    private static readonly RegistryEvent Death = new("death:001190123456", RegistryEventKind.Death, "001190123456", "001", null, People.Now) { Position = 42 };

    /// <summary>eKYC discloses exactly the fields asked, in the published order, each once.</summary>
    [Fact]
    public void A_record_discloses_exactly_the_fields_asked()
    {
        var disclosed = PartnerFields.Disclose(People.DeadAnh, ["alive", "fullName", "fullName", "permanentResidenceProvince"]);

        Assert.Equal(["fullName", "permanentResidenceProvince", "alive"], disclosed.Keys);
        Assert.Equal(("Nguyễn Thị Ánh", "001", false), ((string?)disclosed["fullName"], (string?)disclosed["permanentResidenceProvince"], (bool?)disclosed["alive"]));
    }

    /// <summary>Every field a policy may name can be read from a record.</summary>
    [Fact]
    public void Every_partner_field_reads_from_a_record() =>
        Assert.All(PartnerFields.All, field => PartnerFields.Read(People.Anh, field));

    /// <summary>Which members of an event a partner receives, by the fields of its policy.</summary>
    [Theory]
    [InlineData(new string[0], new[] { "kind", "recordedAt", "position" })]
    [InlineData(new[] { "personalIdNumber" }, new[] { "kind", "recordedAt", "position", "eventId", "personalIdNumber" })]
    [InlineData(new[] { "permanentResidenceProvince", "fullName" }, new[] { "kind", "recordedAt", "position", "provinceCode", "toProvinceCode" })]
    public void An_event_carries_only_the_fields_of_the_policy(string[] fields, string[] members)
    {
        var policy = new PartnerPolicy("social-insurance", ["social-insurance"], fields, [RegistryEventKind.Death], 60, MayVerify: false);

        var disclosed = PartnerFields.Disclose(Death, policy);

        Assert.Equal(members, disclosed.Keys);
        Assert.Equal("death", disclosed["kind"]);
    }
}
