using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>POST /residents</c> on the happy path and its idempotency.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RegisteringResidentsTests(ApiFixture api)
{
    private const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>A registration answers 201 with a number encoding birth province, sex, century and year, and its province counts the person once.</summary>
    [Fact]
    public async Task Registering_a_person_returns_their_number_and_counts_them()
    {
        const string name = "Nguyễn Thị Ánh";
        Assert.True(name.IsNormalized(NormalizationForm.FormC));
        var before = await api.ResidentsInAsync("079");

        using var response = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), Registrations.Valid(fullName: name).ToJson());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains(ReplayedHeader));
        var created = await response.Content.ReadFromJsonAsync<ResidentResponse>();
        Assert.NotNull(created);
        // Decree 137/2015: 079 (birth registered in Hồ Chí Minh), 1 (female born 1900–1999), 90 (1990), 6 serial digits.
        Assert.Matches("^079190[0-9]{6}$", created.PersonalIdNumber);
        Assert.Equal($"/residents/{created.PersonalIdNumber}", response.Headers.Location?.OriginalString);
        Assert.Equal(name, created.FullName);
        Assert.Equal(new DateOnly(1990, 5, 17), created.BirthDate);
        Assert.Equal("female", created.Sex);
        Assert.Equal("079", created.BirthRegistrationProvince);
        Assert.Equal("079", created.PermanentResidenceProvince);

        using var read = await api.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equivalent(created, await read.Content.ReadFromJsonAsync<ResidentResponse>(), strict: true);
        Assert.Equal(before + 1, await api.ResidentsInAsync("079"));
    }

    /// <summary>The same request sent again with the same key answers as the first did, marked as a replay, and counts the person once.</summary>
    [Fact]
    public async Task Repeating_a_registration_with_the_same_key_registers_one_person()
    {
        var key = ApiFixture.NewIdempotencyKey();
        var body = Registrations.Valid().ToJson();
        var before = await api.ResidentsInAsync("079");

        using var first = await api.RegisterAsync(key, body);
        using var again = await api.RegisterAsync(key, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(first.Headers.Contains(ReplayedHeader));
        Assert.Equal(["true"], again.Headers.GetValues(ReplayedHeader));
        var person = await first.Content.ReadFromJsonAsync<ResidentResponse>();
        Assert.Equivalent(person, await again.Content.ReadFromJsonAsync<ResidentResponse>(), strict: true);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(before + 1, await api.ResidentsInAsync("079"));
    }

    /// <summary>A key already used for other details is refused with 409 problem details, and nothing is written.</summary>
    [Fact]
    public async Task Reusing_a_key_for_different_details_is_refused_and_changes_nothing()
    {
        var key = ApiFixture.NewIdempotencyKey();
        using var first = await api.RegisterAsync(key, Registrations.Valid().ToJson());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var person = await first.Content.ReadFromJsonAsync<ResidentResponse>();
        var before = await api.SnapshotAsync();

        using var reused = await api.RegisterAsync(key, Registrations.Valid(birthDate: "1990-05-18").ToJson());

        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        var problem = await reused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal(before, await api.SnapshotAsync());
        using var read = await api.GetAsync(first.Headers.Location!.OriginalString);
        Assert.Equivalent(person, await read.Content.ReadFromJsonAsync<ResidentResponse>(), strict: true);
    }

    /// <summary>A name sent decomposed (NFD) is stored and returned composed (NFC), so both spellings are one name.</summary>
    [Fact]
    public async Task A_decomposed_name_is_stored_composed()
    {
        var composed = "Nguyễn Văn Đức".Normalize(NormalizationForm.FormC);
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        using var response = await api.RegisterAsync(
            ApiFixture.NewIdempotencyKey(),
            Registrations.Valid(fullName: decomposed, sex: "male", birthDate: "2004-01-09", birthRegistrationProvince: "001").ToJson());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<ResidentResponse>();
        Assert.NotNull(created);
        Assert.StartsWith("001204", created.PersonalIdNumber, StringComparison.Ordinal);
        Assert.Equal(composed, created.FullName);
        using var read = await api.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(composed, (await read.Content.ReadFromJsonAsync<ResidentResponse>())?.FullName);
    }
}
