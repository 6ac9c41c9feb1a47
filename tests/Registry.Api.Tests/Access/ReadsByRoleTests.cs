using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Access;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>
/// Reads by role (issue 11): every endpoint that returns people's data asks who reads whom. An officer reads the people
/// living, staying or born in their province, an administrator everyone, a citizen themselves, a partner and an operator
/// nobody; officials state a purpose.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ReadsByRoleTests(ApiFixture api)
{
    /// <summary>A citizen reads their own record and history, through /me and through /residents/{n}, without a purpose.</summary>
    [Fact]
    public async Task A_citizen_reads_their_own_record_and_history()
    {
        var person = await People.RegisterAsync(api, province: "030");
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));
        citizen.DefaultRequestHeaders.Remove(PurposeHeaders.Code);
        citizen.DefaultRequestHeaders.Remove(PurposeHeaders.Note);

        var own = await citizen.GetStringAsync(new Uri("/me", UriKind.Relative));
        var byNumber = await citizen.GetStringAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        var history = await citizen.GetFromJsonAsync<JsonElement>(new Uri("/me/history", UriKind.Relative));

        var record = JsonSerializer.Deserialize<ResidentResponse>(own, JsonSerializerOptions.Web)!;
        Assert.Equal((person.PersonalIdNumber, person.FullName), (record.PersonalIdNumber, record.FullName));
        Assert.Equal(own, byNumber);
        Assert.Equal("registration", history.EnumerateArray().Single().GetProperty("kind").GetString());
    }

    /// <summary>
    /// A citizen reading, searching or listing another person, or reading the event feed, gets 403 and nothing; a number
    /// nobody holds is refused alike, so that the answer does not tell who is registered.
    /// </summary>
    [Fact]
    public async Task A_citizen_is_refused_everyone_else()
    {
        var person = await People.RegisterAsync(api, province: "030");
        var other = await People.RegisterAsync(api, province: "030");
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));

        foreach (var path in PersonalDataOf(other.PersonalIdNumber).Append("/residents/030190999999"))
        {
            await AccessAssert.ReadRefusedAsync(await citizen.GetAsync(new Uri(path, UriKind.Relative)), path);
        }
    }

    /// <summary>A ministry partner reads no record, history, numbers, search or event feed: 403.</summary>
    [Fact]
    public async Task A_partner_reads_no_record_search_or_history()
    {
        var person = await People.RegisterAsync(api, province: "030");
        using var partner = api.ClientFor(TestActors.Partner("ministry-of-health"));

        foreach (var path in PersonalDataOf(person.PersonalIdNumber).Where(path => !path.StartsWith("/events", StringComparison.Ordinal)))
        {
            await AccessAssert.ReadRefusedAsync(await partner.GetAsync(new Uri(path, UriKind.Relative)), path);
        }

        // The feed is a partner's only under a policy naming event kinds, and this partner has none.
        using var events = await partner.GetAsync(new Uri("/events?after=0&limit=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, events.StatusCode);
    }

    /// <summary>An operator reads no personal data at all, not even with a purpose; a province's counters are no personal data.</summary>
    [Fact]
    public async Task An_operator_reads_no_personal_data()
    {
        var person = await People.RegisterAsync(api, province: "030");
        using var operatorClient = api.ClientFor(TestActors.Operator);

        foreach (var path in PersonalDataOf(person.PersonalIdNumber).Append("/provinces/030/addresses-to-update"))
        {
            await AccessAssert.ReadRefusedAsync(await operatorClient.GetAsync(new Uri(path, UriKind.Relative)), path);
        }

        using var me = await operatorClient.GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, me.StatusCode);
        using var province = await operatorClient.GetAsync(new Uri("/provinces/030", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, province.StatusCode);
    }

    /// <summary>
    /// An officer reads a person born in their province (030), living there (046) or staying there under a temporary
    /// residence (048): record, history and numbers; an officer of any other province gets 403 on each.
    /// </summary>
    [Fact]
    public async Task An_officer_reads_the_people_living_staying_or_born_in_their_province_only()
    {
        var person = await BornLivingAndStayingAsync();

        foreach (var province in new[] { "030", "046", "048" })
        {
            using var officer = api.ClientFor(TestActors.Officer(province));
            foreach (var path in PersonalDataOf(person).Take(3))
            {
                using var response = await officer.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"officer of {province} on {path}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        using var outsider = api.ClientFor(TestActors.Officer("001"));
        foreach (var path in PersonalDataOf(person).Take(3))
        {
            await AccessAssert.ReadRefusedAsync(await outsider.GetAsync(new Uri(path, UriKind.Relative)), path);
        }
    }

    /// <summary>
    /// An officer's search finds only their people, filtered in SQL before paging: the first page of one holds their
    /// person, although someone of another province comes first by name, and says there is no next page.
    /// </summary>
    [Fact]
    public async Task An_officers_search_finds_only_the_people_of_their_province()
    {
        var family = "Thử" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(8));
        var elsewhere = await RegisterNamedAsync($"{family} An", "031");
        var own = await RegisterNamedAsync($"{family} Bình", "030");
        var staying = await BornLivingAndStayingAsync($"{family} Cúc");
        var query = $"/residents?name={Uri.EscapeDataString(family)}&limit=1";

        using var officer = api.ClientFor(TestActors.Officer("030"));
        var firstPage = await officer.GetFromJsonAsync<ResidentSearchResponse>(new Uri(query, UriKind.Relative));
        var all = await api.Http.GetFromJsonAsync<ResidentSearchResponse>(new Uri(query.Replace("limit=1", "limit=10", StringComparison.Ordinal), UriKind.Relative));
        using var stayingOfficer = api.ClientFor(TestActors.Officer("048"));
        var byTemporaryResidence = await stayingOfficer.GetFromJsonAsync<ResidentSearchResponse>(new Uri(query, UriKind.Relative));

        Assert.Equal([own], firstPage!.Residents.Select(resident => resident.PersonalIdNumber));
        Assert.NotNull(firstPage.Next);
        var second = await officer.GetFromJsonAsync<ResidentSearchResponse>(new Uri($"{query}&after={Uri.EscapeDataString(firstPage.Next!)}", UriKind.Relative));
        Assert.Equal([staying], second!.Residents.Select(resident => resident.PersonalIdNumber));
        Assert.Null(second.Next);
        Assert.Equal([elsewhere, own, staying], all!.Residents.Select(resident => resident.PersonalIdNumber));
        Assert.Equal([staying], byTemporaryResidence!.Residents.Select(resident => resident.PersonalIdNumber));
    }

    /// <summary>An officer's event feed holds the events of their province only, read in SQL: a death elsewhere is not in it.</summary>
    [Fact]
    public async Task An_officers_event_feed_holds_their_provinces_events_only()
    {
        var own = await People.RegisterAsync(api, province: "030");
        var elsewhere = await People.RegisterAsync(api, province: "031");
        foreach (var person in new[] { own, elsewhere })
        {
            using var death = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
                """{"date":"2026-01-03","place":"Bệnh viện","documentReference":"KT-9"}""");
            Assert.Equal(HttpStatusCode.OK, death.StatusCode);
        }

        var first = await TestDatabase.ScalarAsync<long>(api.ConnectionString,
            "SELECT min(sequence) FROM registry.province_resident_change WHERE operation_id = ANY($1)",
            // One parameter, the array: a string[] alone would be taken as the parameter list itself.
            (object)new[] { $"death:{own.PersonalIdNumber}", $"death:{elsewhere.PersonalIdNumber}" });
        var path = $"/events?after={first - 1}&limit=1000";
        await Eventually.ValueAsync(
            async () => DeathsIn(await api.Http.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative))),
            deaths => deaths.Contains(own.PersonalIdNumber) && deaths.Contains(elsewhere.PersonalIdNumber), Eventually.MinimumBound, "both deaths in /events");

        using var officer = api.ClientFor(TestActors.Officer("030"));
        var seen = DeathsIn(await officer.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative)));

        Assert.Contains(own.PersonalIdNumber, seen);
        Assert.DoesNotContain(elsewhere.PersonalIdNumber, seen);
    }

    /// <summary>Officers of another province are refused a province's list of residents whose address is to update.</summary>
    [Fact]
    public async Task An_officer_lists_the_addresses_to_update_of_their_province_only()
    {
        using var officer = api.ClientFor(TestActors.Officer("030"));

        using var own = await officer.GetAsync(new Uri("/provinces/030/addresses-to-update", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await AccessAssert.ReadRefusedAsync(await officer.GetAsync(new Uri("/provinces/031/addresses-to-update", UriKind.Relative)), "031");
    }

    /// <summary>
    /// An official reading personal data without a purpose, or with one that is not published, gets 400 naming
    /// Access-Purpose, and nothing is read or changed.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("curiosity")]
    public async Task Reading_without_a_published_purpose_is_refused_naming_Access_Purpose(string? purpose)
    {
        var person = await People.RegisterAsync(api, province: "030");
        using var officer = api.ClientFor(TestActors.Officer("030"));
        officer.DefaultRequestHeaders.Remove(PurposeHeaders.Code);
        if (purpose is null)
        {
            officer.DefaultRequestHeaders.Remove(PurposeHeaders.Note);
        }
        else
        {
            officer.DefaultRequestHeaders.Add(PurposeHeaders.Code, purpose);
        }

        var before = await api.SnapshotAsync();
        foreach (var path in PersonalDataOf(person.PersonalIdNumber).Append("/provinces/030/addresses-to-update"))
        {
            using var response = await officer.GetAsync(new Uri(path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Equal([PurposeHeaders.Code], JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        }

        Assert.Equal(before, await api.SnapshotAsync());
    }

    // Record, history and numbers of one person, then a search and the event feed.
    private static IEnumerable<string> PersonalDataOf(string number) =>
        [$"/residents/{number}", $"/residents/{number}/history", $"/residents/{number}/numbers", "/residents?name=nguyen", "/events?after=0&limit=1"];

    private static HashSet<string> DeathsIn(JsonElement events) =>
        [.. events.EnumerateArray().Where(read => read.GetProperty("kind").GetString() == "death").Select(read => read.GetProperty("personalIdNumber").GetString()!)];

    private async Task<string> RegisterNamedAsync(string name, string province)
    {
        using var response = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(),
            Registrations.Valid(fullName: name, birthRegistrationProvince: province).ToJson());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ResidentResponse>())!.PersonalIdNumber;
    }

    /// <summary>Someone born in 030, living in 046 and staying in 048 under a temporary residence in force.</summary>
    private async Task<string> BornLivingAndStayingAsync(string? name = null)
    {
        foreach (var (province, commune) in new[] { ("046", "19756"), ("048", "20194") })
        {
            using var put = await api.Http.PutAsJsonAsync($"/provinces/{province}/communes/{commune}", new { name = $"Phường {commune}" });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var number = await RegisterNamedAsync(name ?? People.UniqueName(), "030");
        using var moved = await api.PostAsync($"/residents/{number}/relocations", ApiFixture.NewIdempotencyKey(),
            """{"provinceCode":"046","communeCode":"19756","address":"8 Lê Duẩn","movedOn":"2026-02-02"}""");
        Assert.True(moved.StatusCode == HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        using var staying = await api.PostAsync($"/residents/{number}/temporary-residence", ApiFixture.NewIdempotencyKey(),
            $$"""{"provinceCode":"048","communeCode":"20194","address":"5 Bạch Đằng","from":"{{Text(today.AddDays(-31))}}","until":"{{Text(today.AddYears(1))}}"}""");
        Assert.True(staying.StatusCode == HttpStatusCode.OK, await staying.Content.ReadAsStringAsync());
        return number;
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
