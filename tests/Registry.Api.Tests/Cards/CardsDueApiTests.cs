using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Access;
using Registry.Api.Cards;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Domain;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Cards;

/// <summary>
/// A province's due and overdue cards (issue 12, part 6): who turns 14 without a card, whose card expires within N days,
/// whose card has expired and was not replaced; for officers of the province and administrators, with a purpose; bad
/// parameters refused naming the field, with nothing changed.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class CardsDueApiTests(ApiFixture api)
{
    // Few other tests register people here, and none issue cards; the lists are still read by membership, not equality.
    private const string Province = "094";

    private static readonly DateOnly Today = VietnamCalendar.Today(TimeProvider.System);

    /// <summary>Each list names its people by the day and the window: a 13-year-old turning 14 within it, a card expiring within it, a card expired.</summary>
    [Fact]
    public async Task The_lists_name_who_turns_14_whose_card_expires_and_whose_card_expired()
    {
        var child = await People.RegisterAsync(api, Province, Text(Today.AddDays(10).AddYears(-14)));
        var renewalBirth = Today.AddDays(20).AddYears(-25);
        var renewing = await People.RegisterAsync(api, Province, Text(renewalBirth));
        var expiring = await IssueAsync(renewing.PersonalIdNumber, renewalBirth.AddYears(20));
        var lapsed = await People.RegisterAsync(api, Province, "2000-01-10");
        var expired = await IssueAsync(lapsed.PersonalIdNumber, new DateOnly(2019, 1, 1));
        Assert.Equal((Today.AddDays(20), new DateOnly(2025, 1, 10)), (expiring.ExpiresOn, expired.ExpiresOn));

        var firstCards = await ListAsync("firstCard", within: 30);
        var turning = Assert.Single(firstCards, entry => entry.PersonalIdNumber == child.PersonalIdNumber);
        Assert.Equal((Today.AddDays(10), (string?)null), (turning.TurnsFourteenOn, turning.DocumentNumber));
        Assert.DoesNotContain(await ListAsync("firstCard", within: 5), entry => entry.PersonalIdNumber == child.PersonalIdNumber);
        Assert.DoesNotContain(firstCards, entry => entry.PersonalIdNumber == lapsed.PersonalIdNumber || entry.PersonalIdNumber == renewing.PersonalIdNumber);

        var soon = Assert.Single(await ListAsync("expiring", within: 30), entry => entry.PersonalIdNumber == renewing.PersonalIdNumber);
        Assert.Equal((expiring.DocumentNumber, Today.AddDays(20)), (soon.DocumentNumber, soon.ExpiresOn));
        Assert.DoesNotContain(await ListAsync("expiring", within: 19), entry => entry.PersonalIdNumber == renewing.PersonalIdNumber);
        Assert.DoesNotContain(await ListAsync("expiring", within: 30), entry => entry.PersonalIdNumber == lapsed.PersonalIdNumber);

        var overdue = Assert.Single(await ListAsync("expired", within: 0), entry => entry.PersonalIdNumber == lapsed.PersonalIdNumber);
        Assert.Equal((expired.DocumentNumber, new DateOnly(2025, 1, 10)), (overdue.DocumentNumber, overdue.ExpiresOn));
        Assert.DoesNotContain(await ListAsync("expired", within: 0), entry => entry.PersonalIdNumber == renewing.PersonalIdNumber);

        // On the day after its last valid day, the expiring card is expired too.
        Assert.Contains(await ListAsync("expired", within: 0, on: Today.AddDays(21)), entry => entry.DocumentNumber == expiring.DocumentNumber);
        Assert.DoesNotContain(await ListAsync("expired", within: 0, on: Today.AddDays(20)), entry => entry.DocumentNumber == expiring.DocumentNumber);
    }

    /// <summary>Pages follow one another by their next position without repeating or skipping anyone.</summary>
    [Fact]
    public async Task Pages_follow_one_another_by_their_next_position()
    {
        var people = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            people.Add((await People.RegisterAsync(api, Province, Text(Today.AddDays(300 + i).AddYears(-14)))).PersonalIdNumber);
        }

        var whole = await ListAsync("firstCard", within: 366);
        var paged = new List<CardDueResponse>();
        string? after = null;
        do
        {
            var page = await PageAsync(api.Http, $"/provinces/{Province}/cards/due?list=firstCard&within=366&limit=2{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}");
            paged.AddRange(page.Entries);
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(whole.Select(entry => entry.PersonalIdNumber), paged.Select(entry => entry.PersonalIdNumber));
        Assert.Equal(people.AsEnumerable().Reverse(), paged.Select(entry => entry.PersonalIdNumber).Where(people.Contains));
    }

    /// <summary>An officer of the province reads its lists; an officer of another province is refused with 403 naming the actor, and a citizen too.</summary>
    [Fact]
    public async Task Officers_read_their_own_provinces_lists_only()
    {
        using var own = api.ClientFor(TestActors.Officer(Province));
        using var other = api.ClientFor(TestActors.Officer("079"));
        using var citizen = api.ClientFor(TestActors.Citizen("079190000001"));

        using var read = await own.GetAsync(new Uri($"/provinces/{Province}/cards/due?list=expired", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(["actor"], await ErrorFieldsAsync(await other.GetAsync(new Uri($"/provinces/{Province}/cards/due?list=expired", UriKind.Relative)), HttpStatusCode.Forbidden));
        Assert.Equal(["actor"], await ErrorFieldsAsync(await citizen.GetAsync(new Uri($"/provinces/{Province}/cards/due?list=expired", UriKind.Relative)), HttpStatusCode.Forbidden));
    }

    /// <summary>Without a stated purpose an official's request is 400 naming Access-Purpose.</summary>
    [Fact]
    public async Task Without_a_purpose_the_lists_are_refused()
    {
        using var officer = api.ClientFor(TestActors.Officer(Province));
        officer.DefaultRequestHeaders.Remove(PurposeHeaders.Code);
        officer.DefaultRequestHeaders.Remove(PurposeHeaders.Note);

        Assert.Equal([PurposeHeaders.Code], await ErrorFieldsAsync(await officer.GetAsync(new Uri($"/provinces/{Province}/cards/due?list=expired", UriKind.Relative)), HttpStatusCode.BadRequest));
    }

    /// <summary>Each bad parameter is 400 naming it, and nothing is changed.</summary>
    [Theory]
    [InlineData("list=expired&on=2026-13-01", "on")]
    [InlineData("list=expired&on=07-12-2026", "on")]
    [InlineData("list=expired&within=-1", "within")]
    [InlineData("list=expired&within=367", "within")]
    [InlineData("list=expired&within=ten", "within")]
    [InlineData("list=soon", "list")]
    [InlineData("on=2026-12-07", "list")]
    [InlineData("list=expired&after=2026-12-07:079190000001", "after")]
    [InlineData("list=firstCard&after=2012-01-01", "after")]
    [InlineData("list=expired&limit=0", "limit")]
    public async Task Bad_parameters_are_refused_naming_the_field(string query, string field)
    {
        var before = await api.SnapshotAsync();

        Assert.Equal([field], await ErrorFieldsAsync(await api.Http.GetAsync(new Uri($"/provinces/{Province}/cards/due?{query}", UriKind.Relative)), HttpStatusCode.BadRequest));

        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>An unknown province is 404 naming the code.</summary>
    [Fact]
    public async Task An_unknown_province_is_not_found() =>
        Assert.Equal(["code"], await ErrorFieldsAsync(await api.Http.GetAsync(new Uri("/provinces/099/cards/due?list=expired", UriKind.Relative)), HttpStatusCode.NotFound));

    private async Task<List<CardDueResponse>> ListAsync(string list, int within, DateOnly? on = null)
    {
        var entries = new List<CardDueResponse>();
        string? after = null;
        do
        {
            var page = await PageAsync(api.Http,
                $"/provinces/{Province}/cards/due?list={list}&on={Text(on ?? Today)}&within={within}&limit=1000{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}");
            entries.AddRange(page.Entries);
            after = page.Next;
        }
        while (after is not null);

        return entries;
    }

    private static async Task<CardsDuePage> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CardsDuePage>())!;
    }

    private async Task<CardResponse> IssueAsync(string personalIdNumber, DateOnly issuedOn)
    {
        using var applied = await api.PostAsync($"/residents/{personalIdNumber}/card-applications", ApiFixture.NewIdempotencyKey(), """{"reason":"firstCard"}""");
        Assert.True(applied.StatusCode == HttpStatusCode.Created, await applied.Content.ReadAsStringAsync());
        var card = (await applied.Content.ReadFromJsonAsync<CardResponse>())!;
        using var produced = await api.PostAsync($"/cards/{card.DocumentNumber}/production", ApiFixture.NewIdempotencyKey(), "{}");
        Assert.Equal(HttpStatusCode.OK, produced.StatusCode);
        using var issued = await api.PostAsync($"/cards/{card.DocumentNumber}/issue", ApiFixture.NewIdempotencyKey(), $$"""{"issuedOn":"{{Text(issuedOn)}}"}""");
        Assert.True(issued.StatusCode == HttpStatusCode.OK, await issued.Content.ReadAsStringAsync());
        return (await issued.Content.ReadFromJsonAsync<CardResponse>())!;
    }

    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {problem}");
            return [.. problem.GetProperty("errors").EnumerateObject().Select(property => property.Name)];
        }
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
