using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Domain.Residents;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>POST /households/relocations</c>: all members move, or none does and each member's result says why.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RelocatingHouseholdsTests(ApiFixture api) : IAsyncLifetime
{
    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        using var response = await api.Http.PutAsJsonAsync("/provinces/048/communes/20194", new { name = "Phường Hải Châu" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every member moves, each returned after the move; the same request again is a replay.</summary>
    [Fact]
    public async Task A_household_moves_whole()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => People.RegisterAsync(api, province: "079")));
        var key = ApiFixture.NewIdempotencyKey();
        var body = Household(members.Select(member => member.PersonalIdNumber));

        using var response = await api.PostAsync("/households/relocations", key, body);
        var snapshot = await api.SnapshotAsync();
        using var again = await api.PostAsync("/households/relocations", key, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var moved = (await response.Content.ReadFromJsonAsync<HouseholdResponse>())!;
        Assert.Equal(members.Select(member => member.PersonalIdNumber), moved.Members.Select(member => member.PersonalIdNumber));
        Assert.All(moved.Members, member => Assert.Equal(("048", "20194", 2L), (member.PermanentResidenceProvince, member.PermanentResidenceCommune, member.Version)));
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(snapshot, await api.SnapshotAsync());
    }

    /// <summary>The longest key the door accepts moves the household: each member's move id, derived from it, fits the same limit.</summary>
    [Fact]
    public async Task A_household_moves_under_a_key_of_the_longest_accepted_length()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => People.RegisterAsync(api, province: "079")));
        var key = ApiFixture.NewIdempotencyKey().PadRight(RegistrationRules.MaxIdempotencyKeyLength, 'k');

        using var response = await api.PostAsync("/households/relocations", key, Household(members.Select(member => member.PersonalIdNumber)));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var moved = JsonSerializer.Deserialize<HouseholdResponse>(text, JsonSerializerOptions.Web)!;
        Assert.All(moved.Members, member => Assert.Equal(("048", "20194", 2L), (member.PermanentResidenceProvince, member.PermanentResidenceCommune, member.Version)));
    }

    /// <summary>A member who cannot move (unknown number) stops the whole household: 409 with each member's status, nothing changed.</summary>
    [Fact]
    public async Task A_household_with_a_member_who_cannot_move_moves_nobody()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => People.RegisterAsync(api, province: "079")));
        var before = await api.SnapshotAsync();

        using var response = await api.PostAsync("/households/relocations", ApiFixture.NewIdempotencyKey(),
            Household([members[0].PersonalIdNumber, "001190999996", members[1].PersonalIdNumber]));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, text);
        var statuses = JsonDocument.Parse(text).RootElement.GetProperty("members").EnumerateArray().Select(member => member.GetProperty("status").GetString());
        Assert.Equal(["couldMove", "refused", "couldMove"], statuses);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>Bad requests are 400s naming the field, and change nothing.</summary>
    [Theory]
    [InlineData(null, "Idempotency-Key")]
    [InlineData("no-members", "members")]
    [InlineData("twice", "members")]
    [InlineData("malformed", "members[0]")]
    public async Task A_bad_household_request_is_refused(string? kind, string field)
    {
        var person = await People.RegisterAsync(api, province: "079");
        string[] members = kind switch
        {
            "no-members" => [],
            "twice" => [person.PersonalIdNumber, person.PersonalIdNumber],
            "malformed" => ["12345"],
            _ => [person.PersonalIdNumber],
        };
        var before = await api.SnapshotAsync();

        using var response = await api.PostAsync("/households/relocations", kind is null ? null : ApiFixture.NewIdempotencyKey(), Household(members));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    private static string Household(IEnumerable<string> members) => new JsonObject
    {
        ["members"] = new JsonArray([.. members.Select(member => (JsonNode)member)]),
        ["provinceCode"] = "048",
        ["communeCode"] = "20194",
        ["address"] = "20 Bạch Đằng",
        ["movedOn"] = "2026-04-01",
    }.ToJsonString();
}
