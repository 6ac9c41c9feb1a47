using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>POST /residents/{n}/relocations</c>: moves between provinces and communes, each bad input refused with nothing changed.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RelocatingResidentsTests(ApiFixture api) : IAsyncLifetime
{
    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (var (province, commune, name) in new[] { ("079", "26734", "Phường Bến Nghé"), ("001", "00004", "Phường Ba Đình"), ("048", "20194", "Phường Hải Châu") })
        {
            using var response = await api.Http.PutAsJsonAsync($"/provinces/{province}/communes/{commune}", new { name });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A move is answered with the moved person and the new version; both provinces' counters follow; GET shows it.</summary>
    [Fact]
    public async Task A_relocation_moves_the_person_and_the_counts()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var (from, to) = (await ProvinceAsync("079"), await ProvinceAsync("001"));

        using var response = await RelocateAsync(person.PersonalIdNumber, ApiFixture.NewIdempotencyKey(), Move("001", "00004", "12 Điện Biên Phủ"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var moved = (await response.Content.ReadFromJsonAsync<ResidentResponse>())!;
        Assert.Equal(("001", "00004", "12 Điện Biên Phủ", 2L), (moved.PermanentResidenceProvince, moved.PermanentResidenceCommune, moved.PermanentAddress, moved.Version));
        Assert.Equivalent(moved, await api.Http.GetFromJsonAsync<ResidentResponse>(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative)), strict: true);
        var (fromAfter, toAfter) = (await ProvinceAsync("079"), await ProvinceAsync("001"));
        Assert.Equal(from.GetProperty("residents").GetInt64() - 1, fromAfter.GetProperty("residents").GetInt64());
        Assert.Equal(from.GetProperty("departures").GetInt64() + 1, fromAfter.GetProperty("departures").GetInt64());
        Assert.Equal(to.GetProperty("residents").GetInt64() + 1, toAfter.GetProperty("residents").GetInt64());
        Assert.Equal(to.GetProperty("arrivals").GetInt64() + 1, toAfter.GetProperty("arrivals").GetInt64());
    }

    /// <summary>The same Idempotency-Key again: the same answer, marked as a replay, counted once.</summary>
    [Fact]
    public async Task A_repeated_request_has_the_effect_of_one()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var key = ApiFixture.NewIdempotencyKey();
        using var first = await RelocateAsync(person.PersonalIdNumber, key, Move("048", "20194", "1 Bạch Đằng"));
        var snapshot = await api.SnapshotAsync();

        using var again = await RelocateAsync(person.PersonalIdNumber, key, Move("048", "20194", "1 Bạch Đằng"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(snapshot, await api.SnapshotAsync());
    }

    /// <summary>Two concurrent moves naming the version they read: one is applied, the other is a 409 naming expectedVersion.</summary>
    [Fact]
    public async Task Of_two_concurrent_relocations_one_wins_and_the_other_gets_409()
    {
        var person = await People.RegisterAsync(api, province: "079");

        var responses = await Task.WhenAll(
            RelocateAsync(person.PersonalIdNumber, ApiFixture.NewIdempotencyKey(), Move("001", "00004", "2 Hàng Bông", expectedVersion: person.Version)),
            RelocateAsync(person.PersonalIdNumber, ApiFixture.NewIdempotencyKey(), Move("048", "20194", "3 Trần Phú", expectedVersion: person.Version)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(response => response.StatusCode).Order());
        var conflict = responses.Single(response => response.StatusCode == HttpStatusCode.Conflict);
        var problem = await conflict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("expectedVersion", problem.GetRawText(), StringComparison.Ordinal);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>Every bad relocation is refused with its status, naming the field, and nothing is written.</summary>
    [Theory]
    [InlineData("same-address", HttpStatusCode.BadRequest, "destination")]
    [InlineData("unknown-province", HttpStatusCode.BadRequest, "provinceCode")]
    [InlineData("unknown-commune", HttpStatusCode.BadRequest, "communeCode")]
    [InlineData("malformed-commune", HttpStatusCode.BadRequest, "communeCode")]
    [InlineData("empty-address", HttpStatusCode.BadRequest, "address")]
    [InlineData("future-date", HttpStatusCode.BadRequest, "movedOn")]
    [InlineData("no-date", HttpStatusCode.BadRequest, "movedOn")]
    [InlineData("no-key", HttpStatusCode.BadRequest, "Idempotency-Key")]
    [InlineData("key-reused", HttpStatusCode.Conflict, "Idempotency-Key")]
    [InlineData("stale-version", HttpStatusCode.Conflict, "expectedVersion")]
    [InlineData("dead", HttpStatusCode.Conflict, "destination")]
    [InlineData("unknown-person", HttpStatusCode.NotFound, "personalIdNumber")]
    [InlineData("malformed-number", HttpStatusCode.BadRequest, "personalIdNumber")]
    [InlineData("officer-of-another-province", HttpStatusCode.Forbidden, "actor")]
    public async Task A_bad_relocation_is_refused_and_nothing_changes(string kind, HttpStatusCode status, string field)
    {
        var person = await People.RegisterAsync(api, province: "079");
        var number = person.PersonalIdNumber;
        var key = ApiFixture.NewIdempotencyKey();
        using (var moved = await RelocateAsync(number, ApiFixture.NewIdempotencyKey(), Move("079", "26734", "5 Lê Lợi")))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        if (kind == "key-reused")
        {
            using var used = await RelocateAsync(number, key, Move("001", "00004", "7 Phố Huế"));
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        if (kind == "dead")
        {
            using var death = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{number}/death", ApiFixture.NewIdempotencyKey(),
                """{"date":"2026-01-02","place":"Hà Nội","documentReference":"KT-9"}""");
            Assert.Equal(HttpStatusCode.OK, death.StatusCode);
        }

        var body = kind switch
        {
            "same-address" => Move("079", "26734", " 5 Lê Lợi "),
            "unknown-province" => Move("999", "26734", "5 Lê Lợi"),
            "unknown-commune" => Move("001", "26734", "5 Lê Lợi"),
            "malformed-commune" => Move("001", "0004", "5 Lê Lợi"),
            "empty-address" => Move("001", "00004", "   "),
            "future-date" => Move("001", "00004", "5 Lê Lợi", movedOn: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            "no-date" => Move("001", "00004", "5 Lê Lợi", movedOn: null),
            "key-reused" => Move("048", "20194", "7 Phố Huế"),
            "stale-version" => Move("001", "00004", "5 Lê Lợi", expectedVersion: 1),
            _ => Move("001", "00004", "5 Lê Lợi"),
        };
        var target = kind switch
        {
            "unknown-person" => "001190999997",
            "malformed-number" => "00119099999",
            _ => number,
        };
        // Moves are registered by the destination's officers; this one's province is the one the person lives in.
        using var officer = kind == "officer-of-another-province" ? api.ClientFor(TestActors.Officer("079")) : null;
        var before = await api.SnapshotAsync();
        using var response = await ApiFixture.PostAsync(officer ?? api.Http, $"/residents/{target}/relocations", kind == "no-key" ? null : key, body.ToJsonString());

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", text, StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>A temporary residence is registered and shown with the person; an absence is declared.</summary>
    [Fact]
    public async Task A_temporary_residence_and_an_absence_are_registered()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));

        using var temporary = await api.PostAsync($"/residents/{person.PersonalIdNumber}/temporary-residence", ApiFixture.NewIdempotencyKey(),
            Temporary(today.AddDays(-31), today.AddYears(1)));
        using var absence = await api.PostAsync($"/residents/{person.PersonalIdNumber}/temporary-absence", ApiFixture.NewIdempotencyKey(),
            $$"""{"from":"{{Text(today)}}","destination":"Hà Nội"}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (temporary.StatusCode, absence.StatusCode));
        var shown = (await absence.Content.ReadFromJsonAsync<ResidentResponse>())!;
        Assert.Equal(("001", today.AddYears(1)), (shown.TemporaryResidence!.Address.ProvinceCode, shown.TemporaryResidence.Until));
        Assert.Equal("Hà Nội", shown.TemporaryAbsence!.Destination);
    }

    /// <summary>A temporary residence ending in the past or more than two years ahead is a 400 naming until; nothing changes.</summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(2 * 366)]
    public async Task A_temporary_residence_ending_in_the_past_or_beyond_two_years_is_refused(int daysFromToday)
    {
        var person = await People.RegisterAsync(api, province: "079");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        var before = await api.SnapshotAsync();

        using var response = await api.PostAsync($"/residents/{person.PersonalIdNumber}/temporary-residence", ApiFixture.NewIdempotencyKey(),
            Temporary(today.AddDays(-60), today.AddDays(daysFromToday)));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal(["until"], JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>The relocation is in the OpenAPI document, with its request body, in which expectedVersion is optional and the destination required.</summary>
    [Fact]
    public async Task The_relocation_is_in_the_OpenAPI_document()
    {
        var document = await (await api.GetAsync("/openapi/v1.json")).Content.ReadFromJsonAsync<JsonElement>();

        var operation = document.GetProperty("paths").GetProperty("/residents/{personalIdNumber}/relocations").GetProperty("post");
        Assert.Equal("RelocateResident", operation.GetProperty("operationId").GetString());
        var reference = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]);
        var required = schema.GetProperty("required").EnumerateArray().Select(field => field.GetString()!).ToArray();
        Assert.Equal(["provinceCode", "communeCode", "address", "movedOn"], required);
        Assert.True(schema.GetProperty("properties").TryGetProperty("expectedVersion", out _));
    }

    private static JsonObject Move(string province, string commune, string address, string? movedOn = "2026-03-01", long? expectedVersion = null)
    {
        var body = new JsonObject { ["provinceCode"] = province, ["communeCode"] = commune, ["address"] = address, ["movedOn"] = movedOn };
        if (expectedVersion is { } version)
        {
            body["expectedVersion"] = version;
        }

        return body;
    }

    private static string Temporary(DateOnly from, DateOnly until) =>
        $$"""{"provinceCode":"001","communeCode":"00004","address":"4 Phan Chu Trinh","from":"{{Text(from)}}","until":"{{Text(until)}}"}""";

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> RelocateAsync(string number, string? key, JsonObject body) =>
        api.PostAsync($"/residents/{number}/relocations", key, body.ToJsonString());

    private async Task<JsonElement> ProvinceAsync(string code) =>
        await api.Http.GetFromJsonAsync<JsonElement>(new Uri($"/provinces/{code}", UriKind.Relative));
}
