using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>POST /residents/{n}/amendments</c>, the history, and numbers replaced by corrections.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class AmendingResidentsTests(ApiFixture api)
{
    /// <summary>A correction with reason and document answers the new record; the history shows who, when, field, old, new and why.</summary>
    [Fact]
    public async Task A_correction_is_applied_and_kept_in_the_history()
    {
        var person = await People.RegisterAsync(api);
        var key = ApiFixture.NewIdempotencyKey();
        var body = Amendment("Sai dân tộc khi đăng ký", "QĐ-9/2026", ("ethnicity", "Tày"));

        using var response = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", key, body);
        using var again = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", key, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Tày", (await response.Content.ReadFromJsonAsync<ResidentResponse>())!.Ethnicity);
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        var history = await HistoryAsync(person.PersonalIdNumber);
        Assert.Equal(["registration", "amendment"], history.Select(entry => entry.Kind));
        Assert.Equal(("ethnicity", (string?)null, "Tày", "Sai dân tộc khi đăng ký", "QĐ-9/2026", TestActors.Administrator.Id),
            (history[1].Field, history[1].OldValue, history[1].NewValue, history[1].Reason, history[1].DocumentReference, history[1].ActorId));
    }

    /// <summary>Bad amendments are refused with the status and field that say why, and nothing changes.</summary>
    [Fact]
    public async Task Bad_amendments_are_refused_naming_the_field_and_change_nothing()
    {
        var person = await People.RegisterAsync(api, province: "001");
        var path = $"/residents/{person.PersonalIdNumber}/amendments";
        using var officer = api.ClientFor(TestActors.Officer("001"));
        using var otherProvince = api.ClientFor(TestActors.Officer("079"));
        using var ministry = api.ClientFor(TestActors.MinistryPartner);
        var before = await api.SnapshotAsync();

        await RefusedAsync(api.Http, path, Amendment(null, "QĐ-1", ("religion", "Không")), HttpStatusCode.BadRequest, "reason");
        await RefusedAsync(api.Http, path, Amendment("Sai", null, ("religion", "Không")), HttpStatusCode.BadRequest, "documentReference");
        await RefusedAsync(api.Http, path, """{"reason":"Sai","documentReference":"QĐ-1","changes":{}}""", HttpStatusCode.BadRequest, "changes");
        await RefusedAsync(api.Http, path, Amendment("Sai", "QĐ-1", ("birthRegistrationProvince", "079")), HttpStatusCode.BadRequest, "birthRegistrationProvince");
        await RefusedAsync(api.Http, path, Amendment("Sai", "QĐ-1", ("fullName", "Nguyễn\u200BThị")), HttpStatusCode.BadRequest, "fullName");
        await RefusedAsync(api.Http, path, Amendment("Kết hôn", "ĐKKH-1", ("spouse", "001090999999")), HttpStatusCode.BadRequest, "spouse");
        await RefusedAsync(officer, path, Amendment("Sai", "QĐ-1", ("birthDate", "1991-05-17")), HttpStatusCode.Forbidden, "birthDate");
        await RefusedAsync(otherProvince, path, Amendment("Sai", "QĐ-1", ("religion", "Không")), HttpStatusCode.Forbidden, null);
        await RefusedAsync(ministry, path, Amendment("Sai", "QĐ-1", ("religion", "Không")), HttpStatusCode.Forbidden, null);
        await RefusedAsync(api.Http, "/residents/001090999999/amendments", Amendment("Sai", "QĐ-1", ("religion", "Không")), HttpStatusCode.NotFound, null);

        Assert.Equal(before, await api.SnapshotAsync());
        Assert.Single(await HistoryAsync(person.PersonalIdNumber));
    }

    /// <summary>
    /// A central administrator's correction of the birth year issues a new number; the old number resolves to the
    /// person, and both numbers name each other.
    /// </summary>
    [Fact]
    public async Task A_birth_year_correction_issues_a_new_number_and_both_resolve()
    {
        var person = await People.RegisterAsync(api, province: "001", birthDate: "1985-03-03", sex: "male");

        using var response = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            Amendment("Sai năm sinh", "TA-3/2026", ("birthDate", "1986-03-03")));

        var renumbered = await SecondOfficials.AppliedAsync(response);
        Assert.Matches("^001086[0-9]{6}$", renumbered.PersonalIdNumber);
        Assert.Equal([person.PersonalIdNumber], renumbered.PreviousNumbers);

        using var old = await api.GetAsync($"/residents/{person.PersonalIdNumber}");
        Assert.Equal(renumbered.PersonalIdNumber, (await old.Content.ReadFromJsonAsync<ResidentResponse>())!.PersonalIdNumber);
        Assert.Equal($"/residents/{renumbered.PersonalIdNumber}", old.Content.Headers.ContentLocation?.OriginalString);
        foreach (var asked in new[] { person.PersonalIdNumber, renumbered.PersonalIdNumber })
        {
            var numbers = (await api.Http.GetFromJsonAsync<NumberLineageResponse>(new Uri($"/residents/{asked}/numbers", UriKind.Relative)))!;
            Assert.Equal((asked, renumbered.PersonalIdNumber, person.PersonalIdNumber), (numbers.Requested, numbers.Current, numbers.Previous.Single()));
        }
    }

    /// <summary>Numbers in the path that are not 12 digits of a known province are refused naming the field.</summary>
    [Theory]
    [InlineData("00109012345")]
    [InlineData("0010901234567")]
    [InlineData("00109012345a")]
    [InlineData("001090%2012345")]
    [InlineData("999090123456")]
    public async Task Malformed_numbers_are_refused_with_400(string number)
    {
        foreach (var path in new[] { $"/residents/{number}", $"/residents/{number}/history", $"/residents/{number}/numbers" })
        {
            using var response = await api.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("personalIdNumber", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await RefusedAsync(api.Http, $"/residents/{number}/amendments", Amendment("Sai", "QĐ-1", ("religion", "Không")), HttpStatusCode.BadRequest, "personalIdNumber");
    }

    /// <summary>An amendment body as a caller writes it; a null reason or document is left out.</summary>
    internal static string Amendment(string? reason, string? document, params (string Field, string? Value)[] changes)
    {
        var body = new JsonObject();
        if (reason is not null)
        {
            body["reason"] = reason;
        }

        if (document is not null)
        {
            body["documentReference"] = document;
        }

        var set = new JsonObject();
        foreach (var (field, value) in changes)
        {
            set[field] = value;
        }

        body["changes"] = set;
        return body.ToJson();
    }

    /// <summary>Posts <paramref name="body"/> and checks the status and, when given, that the problem names <paramref name="field"/>.</summary>
    internal static async Task RefusedAsync(HttpClient client, string path, string body, HttpStatusCode status, string? field)
    {
        using var response = await ApiFixture.PostAsync(client, path, ApiFixture.NewIdempotencyKey(), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path} {body}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            using var problem = JsonDocument.Parse(text);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {text}");
        }
    }

    private async Task<ResidentChangeResponse[]> HistoryAsync(string number) =>
        (await api.Http.GetFromJsonAsync<ResidentChangeResponse[]>(new Uri($"/residents/{number}/history", UriKind.Relative)))!;
}
