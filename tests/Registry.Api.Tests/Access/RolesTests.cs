using System.Net;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>
/// What each role may do: provincial officers and central administrators write; every role, operators included, reads what
/// holds no personal data. Who reads people is <see cref="ReadsByRoleTests"/>.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RolesTests(ApiFixture api)
{
    /// <summary>Ministry partners and citizens never write: 403 problem details naming the roles that may, and nothing stored.</summary>
    [Theory]
    [InlineData(ActorRole.MinistryPartner)]
    [InlineData(ActorRole.Citizen)]
    public async Task Registering_as_a_reader_only_role_is_refused_with_403(ActorRole role)
    {
        var before = await api.SnapshotAsync();
        using var client = api.ClientFor(ActorOf(role, province: null));

        using var response = await ApiFixture.RegisterAsync(client, ApiFixture.NewIdempotencyKey(), Registrations.Valid().ToJson());

        await AccessAssert.ForbiddenAsync(response);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>A provincial officer registers a person born in their province, and the province counts them.</summary>
    [Fact]
    public async Task A_provincial_officer_registers_in_their_province()
    {
        var before = await api.ResidentsInAsync("001");
        using var officer = api.ClientFor(new Actor("officer-001", ActorRole.ProvincialOfficer, "001"));

        using var response = await ApiFixture.RegisterAsync(
            officer, ApiFixture.NewIdempotencyKey(), Registrations.Valid(birthRegistrationProvince: "001").ToJson());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(before + 1, await api.ResidentsInAsync("001"));
    }

    /// <summary>Any authenticated role, an operator too, may read a province's counters: figures of a whole province are no personal data.</summary>
    [Theory]
    [InlineData(ActorRole.ProvincialOfficer)]
    [InlineData(ActorRole.CentralAdministrator)]
    [InlineData(ActorRole.MinistryPartner)]
    [InlineData(ActorRole.Citizen)]
    [InlineData(ActorRole.Operator)]
    public async Task Every_role_may_read_a_provinces_counters(ActorRole role)
    {
        using var client = api.ClientFor(ActorOf(role, province: "079"));

        using var response = await client.GetAsync(new Uri("/provinces/001", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // A citizen is named by their personal ID number; a province belongs to an officer only.
    private static Actor ActorOf(ActorRole role, string? province) => role switch
    {
        ActorRole.Citizen => TestActors.Citizen("001090000001"),
        ActorRole.ProvincialOfficer => TestActors.Officer(province ?? "001"),
        _ => new Actor($"test-{role}", role, null),
    };
}
