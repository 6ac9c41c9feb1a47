using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Domain;
using Xunit;

namespace Registry.Api.Tests.Errors;

/// <summary>
/// A JSON body that gives a field twice is refused on every endpoint that reads JSON: 400 naming the field, nothing
/// stored. Each body would be accepted with either value alone, so a server that lets the last value win answers 2xx.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RepeatedFieldsTests(ApiFixture api) : IAsyncLifetime
{
    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (var (province, commune, name) in new[] { ("001", "00004", "Phường Ba Đình"), ("048", "20194", "Phường Hải Châu") })
        {
            using var response = await api.Http.PutAsJsonAsync($"/provinces/{province}/communes/{commune}", new { name });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A field given twice is a 400 naming it, whichever endpoint reads the body, and the registry is as it was.</summary>
    [Theory]
    [InlineData("registration", "fullName")]
    [InlineData("amendment", "reason")]
    [InlineData("amendment-change", "changes.religion")]
    [InlineData("relocation", "provinceCode")]
    [InlineData("death", "date")]
    [InlineData("temporary-residence", "address")]
    [InlineData("temporary-absence", "from")]
    [InlineData("household-relocation", "members")]
    [InlineData("commune", "name")]
    public async Task A_field_given_twice_is_refused_naming_it_and_nothing_changes(string endpoint, string field)
    {
        var person = await People.RegisterAsync(api, province: "079");
        var number = person.PersonalIdNumber;
        var today = VietnamCalendar.Today(TimeProvider.System);
        (HttpMethod method, string path, string body) = endpoint switch
        {
            "registration" => (HttpMethod.Post, "/residents",
                $$"""{"fullName":"Trần Văn Bình","fullName":"{{People.UniqueName()}}","birthDate":"1990-05-17","sex":"female","birthRegistrationProvince":"079","confirmedNotDuplicate":true}"""),
            "amendment" => (HttpMethod.Post, $"/residents/{number}/amendments",
                """{"reason":"Sai","reason":"Sai chính tả","documentReference":"QĐ-1","changes":{"religion":"Không"}}"""),
            "amendment-change" => (HttpMethod.Post, $"/residents/{number}/amendments",
                """{"reason":"Sai","documentReference":"QĐ-1","changes":{"religion":"Phật giáo","religion":"Không"}}"""),
            "relocation" => (HttpMethod.Post, $"/residents/{number}/relocations",
                $$"""{"provinceCode":"048","provinceCode":"001","communeCode":"00004","address":"12 Điện Biên Phủ","movedOn":"{{Text(today)}}"}"""),
            "death" => (HttpMethod.Post, $"/residents/{number}/death",
                $$"""{"date":"{{Text(today.AddDays(-2))}}","date":"{{Text(today.AddDays(-1))}}","place":"Hà Nội","documentReference":"KT-1"}"""),
            "temporary-residence" => (HttpMethod.Post, $"/residents/{number}/temporary-residence",
                $$"""{"provinceCode":"001","communeCode":"00004","address":"1 Tràng Tiền","address":"4 Phan Chu Trinh","from":"{{Text(today.AddDays(-31))}}","until":"{{Text(today.AddYears(1))}}"}"""),
            "temporary-absence" => (HttpMethod.Post, $"/residents/{number}/temporary-absence",
                $$"""{"from":"{{Text(today.AddDays(-1))}}","from":"{{Text(today)}}","destination":"Hà Nội"}"""),
            "household-relocation" => (HttpMethod.Post, "/households/relocations",
                $$"""{"members":["{{number}}"],"members":["{{number}}"],"provinceCode":"048","communeCode":"20194","address":"20 Bạch Đằng","movedOn":"{{Text(today)}}"}"""),
            "commune" => (HttpMethod.Put, "/provinces/048/communes/20194", """{"name":"Phường Thạch Thang","name":"Phường Hải Châu"}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "No such endpoint in this test."),
        };
        var before = await api.SnapshotAsync();

        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ApiFixture.NewIdempotencyKey());
        using var response = await api.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(error => error.Name));
        Assert.Contains("more than once", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
        var after = (await api.Http.GetFromJsonAsync<ResidentResponse>(new Uri($"/residents/{number}", UriKind.Relative)))!;
        Assert.Equivalent(person, after, strict: true);
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
