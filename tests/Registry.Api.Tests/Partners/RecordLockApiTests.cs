using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Partners;

/// <summary>
/// <c>/me/lock</c>: a citizen locks, unlocks and opens their own record for a time; a bad lock is a 400 naming the
/// field and changes nothing; only citizens set their lock. (The window's end, judged by the silo's clock, is driven in
/// the cluster tests' <c>RecordLockTests</c>.)
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RecordLockApiTests(ApiFixture api)
{
    /// <summary>PUT <paramref name="body"/> to /me/lock, checking the status; the body of the answer.</summary>
    public static async Task<JsonElement> SetAsync(HttpClient citizen, JsonObject body, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        using var response = await citizen.PutAsync(new Uri("/me/lock", UriKind.Relative), JsonContent.Create(body));
        return await Partners.ReadAsync(response, status);
    }

    /// <summary>A record starts unlocked; the citizen locks it, opens it for an hour (partners get through), and unlocks it.</summary>
    [Fact]
    public async Task A_citizen_locks_opens_and_unlocks_their_record()
    {
        var person = await People.RegisterAsync(api);
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        Assert.Equal("unlocked", (await GetAsync(citizen)).GetProperty("state").GetString());

        await SetAsync(citizen, new JsonObject { ["state"] = "locked" }, HttpStatusCode.OK);
        Assert.Equal("locked", (await GetAsync(citizen)).GetProperty("state").GetString());
        Assert.Equal("locked", await ResultAsync(partner, person.PersonalIdNumber));

        var until = DateTimeOffset.UtcNow.AddHours(1);
        var open = await SetAsync(citizen, new JsonObject { ["state"] = "open", ["openUntil"] = until.ToString("O", CultureInfo.InvariantCulture) }, HttpStatusCode.OK);
        Assert.Equal(("open", until), (open.GetProperty("state").GetString(), open.GetProperty("openUntil").GetDateTimeOffset()));
        Assert.Equal("found", await ResultAsync(partner, person.PersonalIdNumber));

        await SetAsync(citizen, new JsonObject { ["state"] = "unlocked" }, HttpStatusCode.OK);
        Assert.Equal("found", await ResultAsync(partner, person.PersonalIdNumber));
    }

    /// <summary>A bad state or window is a 400 naming the field, and the lock stays as it was.</summary>
    [Theory]
    [InlineData("""{"state":"frozen"}""", "state")]
    [InlineData("""{"state":"open"}""", "openUntil")]
    [InlineData("""{"state":"open","openUntil":"2001-01-01T00:00:00+07:00"}""", "openUntil")]
    [InlineData("""{"state":"open","openUntil":"2999-01-01T00:00:00+07:00"}""", "openUntil")]
    [InlineData("""{"state":"locked","openUntil":"2999-01-01T00:00:00+07:00"}""", "openUntil")]
    [InlineData("""{"state":"open","openUntil":"tomorrow"}""", "openUntil")]
    public async Task A_bad_lock_is_refused_naming_the_field_and_changes_nothing(string body, string field)
    {
        var person = await People.RegisterAsync(api);
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));
        await SetAsync(citizen, new JsonObject { ["state"] = "locked" }, HttpStatusCode.OK);
        var before = (await GetAsync(citizen)).GetRawText();

        using var response = await citizen.PutAsync(new Uri("/me/lock", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal([field], await Partners.ErrorFieldsAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(before, (await GetAsync(citizen)).GetRawText());
    }

    /// <summary>Officers, administrators, partners and operators have no lock of their own to set: 403.</summary>
    [Theory]
    [InlineData(ActorRole.ProvincialOfficer)]
    [InlineData(ActorRole.CentralAdministrator)]
    [InlineData(ActorRole.MinistryPartner)]
    [InlineData(ActorRole.Operator)]
    public async Task Only_citizens_set_their_lock(ActorRole role)
    {
        using var client = api.ClientFor(role switch
        {
            ActorRole.ProvincialOfficer => TestActors.Officer("079"),
            ActorRole.CentralAdministrator => TestActors.Administrator,
            ActorRole.MinistryPartner => TestActors.Partner(Partners.NewId()),
            _ => TestActors.Operator,
        });

        using var put = await client.PutAsync(new Uri("/me/lock", UriKind.Relative), JsonContent.Create(new JsonObject { ["state"] = "locked" }));
        using var get = await client.GetAsync(new Uri("/me/lock", UriKind.Relative));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (put.StatusCode, get.StatusCode));
    }

    /// <summary>A citizen whose number nobody holds gets 404 and stores nothing.</summary>
    [Fact]
    public async Task A_citizen_not_in_the_registry_gets_404()
    {
        using var citizen = api.ClientFor(TestActors.Citizen("001001999997"));
        var before = await api.SnapshotAsync();

        await SetAsync(citizen, new JsonObject { ["state"] = "locked" }, HttpStatusCode.NotFound);

        Assert.Equal(before, await api.SnapshotAsync());
    }

    private static async Task<JsonElement> GetAsync(HttpClient citizen)
    {
        using var response = await citizen.GetAsync(new Uri("/me/lock", UriKind.Relative));
        return await Partners.ReadAsync(response, HttpStatusCode.OK);
    }

    private static async Task<string?> ResultAsync(HttpClient partner, string personalIdNumber)
    {
        using var response = await Partners.PostAsync(partner, "/ekyc", new JsonObject { ["personalIdNumber"] = personalIdNumber, ["fields"] = new JsonArray("fullName") });
        return (await Partners.ReadAsync(response, HttpStatusCode.OK)).GetProperty("result").GetString();
    }
}
