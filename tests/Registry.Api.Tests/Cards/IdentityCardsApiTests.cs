using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Cards;
using Registry.Api.Tests.Hosting;
using PartnerClients = Registry.Api.Tests.Partners.Partners;
using Registry.Api.Tests.Residents;
using Registry.Domain;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Cards;

/// <summary>
/// Identity cards through the API (issue 12): a person applies, the card is produced, issued, lost, replaced and renewed,
/// every step in their history; at most one card valid; every bad step refused naming why, with nothing changed.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class IdentityCardsApiTests(ApiFixture api)
{
    /// <summary>The whole life of a person's cards: every step is in their history, and each new card revokes the one it replaces.</summary>
    [Fact]
    public async Task A_person_applies_receives_loses_replaces_and_renews_a_card()
    {
        var person = await People.RegisterAsync(api, birthDate: "1990-05-17");
        var first = await IssueNewAsync(person.PersonalIdNumber, "firstCard");
        Assert.Equal(("issued", new DateOnly(2030, 5, 17)), (first.State, first.ExpiresOn));

        var lost = await StepAsync(first.DocumentNumber, "loss-report", "{}", HttpStatusCode.OK);
        Assert.Equal("reportedLost", lost.State);
        var replacement = await IssueNewAsync(person.PersonalIdNumber, "lost");
        Assert.Equal("revoked", (await GetCardAsync(first.DocumentNumber)).State);

        var renewed = await IssueNewAsync(person.PersonalIdNumber, "ageMilestone");
        Assert.Equal("revoked", (await GetCardAsync(replacement.DocumentNumber)).State);
        Assert.Equal("issued", (await GetCardAsync(renewed.DocumentNumber)).State);
        Assert.NotEqual(first.DocumentNumber, replacement.DocumentNumber);

        var history = await api.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/residents/{person.PersonalIdNumber}/history", UriKind.Relative));
        var steps = history!.Where(entry => entry.GetProperty("field").GetString() == "identityCard")
            .Select(entry => (entry.GetProperty("newValue").GetString(), entry.GetProperty("reason").GetString()![..5])).ToArray();
        Assert.Equal(
            [(first.DocumentNumber, "appli"), (first.DocumentNumber, "produ"), (first.DocumentNumber, "issue"), (first.DocumentNumber, "repor"),
             (replacement.DocumentNumber, "appli"), (replacement.DocumentNumber, "produ"), (first.DocumentNumber, "Repla"), (replacement.DocumentNumber, "issue"),
             (renewed.DocumentNumber, "appli"), (renewed.DocumentNumber, "produ"), (replacement.DocumentNumber, "Repla"), (renewed.DocumentNumber, "issue")],
            steps);
    }

    /// <summary>
    /// Applications sent at once for one person, through a cluster of three silos, meet at the person's citizen grain: one
    /// is taken, every other refused as a second open application, so the person never holds two cards in the making.
    /// </summary>
    [Fact]
    public async Task Concurrent_applications_for_one_person_open_one()
    {
        var person = await People.RegisterAsync(api);
        var card = await IssueNewAsync(person.PersonalIdNumber, "firstCard");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await api.PostAsync($"/residents/{person.PersonalIdNumber}/card-applications", ApiFixture.NewIdempotencyKey(),
                """{"reason":"damaged"}""");
            return response.StatusCode;
        }));

        Assert.Equal(1, answers.Count(status => status == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(status => status == HttpStatusCode.Conflict));
        Assert.Equal("issued", (await GetCardAsync(card.DocumentNumber)).State);
    }

    /// <summary>Issuing a card never produced, producing twice, issuing a revoked card and reporting lost twice: 409 naming the state, nothing changed.</summary>
    [Fact]
    public async Task Steps_outside_the_lifecycle_are_refused_naming_the_state()
    {
        var person = await People.RegisterAsync(api);
        var applied = await ApplyAsync(person.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.Created);

        await RefusedAsync(applied.DocumentNumber, "issue", "{}", HttpStatusCode.Conflict, "state", "applied");
        await StepAsync(applied.DocumentNumber, "production", "{}", HttpStatusCode.OK);
        await RefusedAsync(applied.DocumentNumber, "production", "{}", HttpStatusCode.Conflict, "state", "produced");
        await StepAsync(applied.DocumentNumber, "issue", "{}", HttpStatusCode.OK);
        await StepAsync(applied.DocumentNumber, "loss-report", "{}", HttpStatusCode.OK);
        await RefusedAsync(applied.DocumentNumber, "loss-report", "{}", HttpStatusCode.Conflict, "state", "reportedLost");
        Assert.Equal("reportedLost", (await GetCardAsync(applied.DocumentNumber)).State);

        var other = await People.RegisterAsync(api);
        var revoked = await ApplyAsync(other.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.Created);
        await StepAsync(revoked.DocumentNumber, "production", "{}", HttpStatusCode.OK);
        await StepAsync(revoked.DocumentNumber, "revocation", """{"reason":"Hồ sơ giả mạo"}""", HttpStatusCode.OK);
        await RefusedAsync(revoked.DocumentNumber, "issue", "{}", HttpStatusCode.Conflict, "documentNumber", "not the person's open application");
        Assert.Equal("revoked", (await GetCardAsync(revoked.DocumentNumber)).State);
    }

    /// <summary>A second application while one is open, an unknown number, a dead person: refused, and no card is made.</summary>
    [Fact]
    public async Task Applications_that_cannot_be_taken_are_refused()
    {
        var person = await People.RegisterAsync(api);
        var open = await ApplyAsync(person.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.Created);
        await ApplicationRefusedAsync(person.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.Conflict, "reason");
        await ApplicationRefusedAsync("079190999999", """{"reason":"firstCard"}""", HttpStatusCode.NotFound, "personalIdNumber");
        await ApplicationRefusedAsync(person.PersonalIdNumber, """{"reason":"sometimes"}""", HttpStatusCode.BadRequest, "reason");
        Assert.Equal("applied", (await GetCardAsync(open.DocumentNumber)).State);

        var dead = await People.RegisterAsync(api);
        var yesterday = VietnamCalendar.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var death = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{dead.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
            $$"""{"date":"{{yesterday}}","place":"Huế","documentReference":"KT-1"}""");
        Assert.Equal(HttpStatusCode.OK, death.StatusCode);
        await ApplicationRefusedAsync(dead.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.Conflict, "personalIdNumber");
    }

    /// <summary>Below 14 a first card only through the mother, father or guardian of the record.</summary>
    [Fact]
    public async Task A_first_card_below_14_needs_a_parent_or_guardian()
    {
        var mother = await People.RegisterAsync(api, birthDate: "1985-01-01");
        var childBirth = VietnamCalendar.Today(TimeProvider.System).AddYears(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var child = await People.RegisterAsync(api, birthDate: childBirth, with: body => body["mother"] = mother.PersonalIdNumber);
        var stranger = await People.RegisterAsync(api);

        await ApplicationRefusedAsync(child.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.BadRequest, "parentOrGuardian");
        await ApplicationRefusedAsync(child.PersonalIdNumber, $$"""{"reason":"firstCard","parentOrGuardian":"{{stranger.PersonalIdNumber}}"}""",
            HttpStatusCode.BadRequest, "parentOrGuardian");
        var card = await ApplyAsync(child.PersonalIdNumber, $$"""{"reason":"firstCard","parentOrGuardian":"{{mother.PersonalIdNumber}}"}""", HttpStatusCode.Created);
        Assert.Equal("applied", card.State);
    }

    /// <summary>An issue date before the birth or in the future is a 400 naming issuedOn, and the card stays produced.</summary>
    [Fact]
    public async Task An_issue_date_before_the_birth_or_in_the_future_is_refused()
    {
        var person = await People.RegisterAsync(api, birthDate: "1990-05-17");
        var card = await ApplyAsync(person.PersonalIdNumber, """{"reason":"firstCard"}""", HttpStatusCode.Created);
        await StepAsync(card.DocumentNumber, "production", "{}", HttpStatusCode.OK);
        var tomorrow = VietnamCalendar.Today(TimeProvider.System).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await RefusedAsync(card.DocumentNumber, "issue", """{"issuedOn":"1990-05-16"}""", HttpStatusCode.BadRequest, "issuedOn", "before the holder's birth");
        await RefusedAsync(card.DocumentNumber, "issue", $$"""{"issuedOn":"{{tomorrow}}"}""", HttpStatusCode.BadRequest, "issuedOn", "in the future");
        Assert.Equal("produced", (await GetCardAsync(card.DocumentNumber)).State);
    }

    /// <summary>A recorded death revokes the person's card.</summary>
    [Fact]
    public async Task A_death_revokes_the_card()
    {
        var person = await People.RegisterAsync(api);
        var card = await IssueNewAsync(person.PersonalIdNumber, "firstCard");
        var yesterday = VietnamCalendar.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        using var death = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
            $$"""{"date":"{{yesterday}}","place":"Huế","documentReference":"KT-2"}""");

        Assert.Equal(HttpStatusCode.OK, death.StatusCode);
        var revoked = await GetCardAsync(card.DocumentNumber);
        Assert.Equal(("revoked", "The holder died."), (revoked.State, revoked.RevocationReason));
    }

    /// <summary>A correction of the full name opens a change-of-data application, the card still valid until its successor is issued.</summary>
    [Fact]
    public async Task A_corrected_name_opens_a_change_of_data_application()
    {
        var person = await People.RegisterAsync(api);
        var card = await IssueNewAsync(person.PersonalIdNumber, "firstCard");

        using var corrected = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai chính tả", "QD-9", ("fullName", "Nguyễn Thị Ánh Hồng")));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        var history = await api.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/residents/{person.PersonalIdNumber}/history", UriKind.Relative));
        var opened = history!.Last(entry => entry.GetProperty("field").GetString() == "identityCard");
        Assert.Equal("applied for (changeOfData)", opened.GetProperty("reason").GetString());
        Assert.Equal("applied", (await GetCardAsync(opened.GetProperty("newValue").GetString()!)).State);
        Assert.Equal("issued", (await GetCardAsync(card.DocumentNumber)).State);
    }

    /// <summary>
    /// A partner allowed to verify learns valid, reportedLost, revoked or unknown and whether the card belongs to a number,
    /// nothing else; the revocation list names the lost card; a partner without leave to verify is refused.
    /// </summary>
    [Fact]
    public async Task Partners_verify_cards_and_read_the_revocation_list()
    {
        var person = await People.RegisterAsync(api);
        var other = await People.RegisterAsync(api);
        var card = await IssueNewAsync(person.PersonalIdNumber, "firstCard");
        using var partner = PartnerClients.ClientFor(api, await PartnerClients.WithPolicyAsync(api));
        using var reader = PartnerClients.ClientFor(api, await PartnerClients.WithPolicyAsync(api, PartnerClients.Policy(mayVerify: false)));

        Assert.Equal("""{"status":"valid","belongs":true}""", await VerifyAsync(partner, card.DocumentNumber, person.PersonalIdNumber));
        Assert.Equal("""{"status":"valid","belongs":false}""", await VerifyAsync(partner, card.DocumentNumber, other.PersonalIdNumber));
        Assert.Equal("""{"status":"unknown"}""", await VerifyAsync(partner, "Z01000000", null));
        using var refused = await PartnerClients.PostAsync(reader, "/card-verifications", new JsonObject { ["documentNumber"] = card.DocumentNumber });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var malformed = await PartnerClients.PostAsync(partner, "/card-verifications", new JsonObject { ["documentNumber"] = "12" });
        Assert.Equal(["documentNumber"], await PartnerClients.ErrorFieldsAsync(malformed, HttpStatusCode.BadRequest));

        await StepAsync(card.DocumentNumber, "loss-report", "{}", HttpStatusCode.OK);
        Assert.Equal("""{"status":"reportedLost"}""", await VerifyAsync(partner, card.DocumentNumber, null));
        await Eventually.TrueAsync(async () =>
        {
            var list = await partner.GetFromJsonAsync<CardRevocationResponse[]>(new Uri("/card-revocations?after=0&limit=1000", UriKind.Relative));
            var entry = list!.FirstOrDefault(revocation => revocation.DocumentNumber == card.DocumentNumber);
            if (list!.Length == 1000 && entry is null)
            {
                list = await partner.GetFromJsonAsync<CardRevocationResponse[]>(new Uri($"/card-revocations?after={list[^1].Position - 1}&limit=1000", UriKind.Relative));
                entry = list!.FirstOrDefault(revocation => revocation.DocumentNumber == card.DocumentNumber);
            }

            return entry?.Kind == "cardReportedLost";
        }, Eventually.MinimumBound, "the lost card in the revocation list");
    }

    private async Task<CardResponse> IssueNewAsync(string personalIdNumber, string reason)
    {
        var card = await ApplyAsync(personalIdNumber, $$"""{"reason":"{{reason}}"}""", HttpStatusCode.Created);
        await StepAsync(card.DocumentNumber, "production", "{}", HttpStatusCode.OK);
        return await StepAsync(card.DocumentNumber, "issue", "{}", HttpStatusCode.OK);
    }

    private async Task<CardResponse> ApplyAsync(string personalIdNumber, string json, HttpStatusCode status)
    {
        using var response = await api.PostAsync($"/residents/{personalIdNumber}/card-applications", ApiFixture.NewIdempotencyKey(), json);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CardResponse>())!;
    }

    private async Task<CardResponse> StepAsync(string documentNumber, string step, string json, HttpStatusCode status)
    {
        using var response = await api.PostAsync($"/cards/{documentNumber}/{step}", ApiFixture.NewIdempotencyKey(), json);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CardResponse>())!;
    }

    private async Task RefusedAsync(string documentNumber, string step, string json, HttpStatusCode status, string field, string says)
    {
        using var response = await api.PostAsync($"/cards/{documentNumber}/{step}", ApiFixture.NewIdempotencyKey(), json);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {problem}");
        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(message => message.GetString()!);
        Assert.Contains(messages, message => message.Contains(says, StringComparison.Ordinal));
    }

    private async Task ApplicationRefusedAsync(string personalIdNumber, string json, HttpStatusCode status, string field)
    {
        using var response = await api.PostAsync($"/residents/{personalIdNumber}/card-applications", ApiFixture.NewIdempotencyKey(), json);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {problem}");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private async Task<CardResponse> GetCardAsync(string documentNumber) =>
        (await api.Http.GetFromJsonAsync<CardResponse>(new Uri($"/cards/{documentNumber}", UriKind.Relative)))!;

    private static async Task<string> VerifyAsync(HttpClient partner, string documentNumber, string? personalIdNumber)
    {
        var body = new JsonObject { ["documentNumber"] = documentNumber };
        if (personalIdNumber is not null)
        {
            body["personalIdNumber"] = personalIdNumber;
        }

        using var response = await PartnerClients.PostAsync(partner, "/card-verifications", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }
}
