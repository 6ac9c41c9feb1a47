using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Cards;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Domain;
using Registry.TestSupport;
using Xunit;
using PartnerClients = Registry.Api.Tests.Partners.Partners;

namespace Registry.Api.Tests.Cards;

/// <summary>
/// Chip cards issued before 1 July 2024 are imported by administrators with their printed number and expiry (Law 26/2023
/// Art. 46(1)); every import the law or the record does not allow is a 400 naming the field, and changes nothing.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class CardImportsApiTests(ApiFixture api)
{
    /// <summary>
    /// An imported card is the person's current card, issued, with its printed expiry (not the law's: the 40th birthday
    /// would be 2030-05-17), in their history; it prints a zone that verifies as valid, and the next card replaces it.
    /// </summary>
    [Fact]
    public async Task A_card_from_before_the_law_is_imported_with_its_printed_expiry()
    {
        var person = await People.RegisterAsync(api, birthDate: "1990-05-17", with: body => body["permanentAddress"] = "5 Trần Phú, Phường Hải Châu");
        var number = NewNumber();

        var card = await ImportedAsync(Import(number, person.PersonalIdNumber, "2021-04-01", expiresOn: "2031-12-31"));

        Assert.Equal((number, "issued", "imported", new DateOnly(2021, 4, 1), new DateOnly(2031, 12, 31)),
            (card.DocumentNumber, card.State, card.Reason, card.IssuedOn!.Value, card.ExpiresOn!.Value));
        var history = await api.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/residents/{person.PersonalIdNumber}/history", UriKind.Relative));
        Assert.Contains(history!, entry => entry.GetProperty("newValue").GetString() == number
                                           && entry.GetProperty("reason").GetString()!.StartsWith("imported", StringComparison.Ordinal));
        var face = (await api.Http.GetFromJsonAsync<CardFaceResponse>(new Uri($"/cards/{number}/face", UriKind.Relative)))!;
        using var partner = PartnerClients.ClientFor(api, await PartnerClients.WithPolicyAsync(api));
        using var verified = await PartnerClients.PostAsync(partner, "/card-verifications", new JsonObject { ["mrz"] = string.Join('\n', face.Mrz) });
        Assert.Equal("""{"status":"valid"}""", await verified.Content.ReadAsStringAsync());

        var renewed = await CardSteps.ApplyAsync(api, person.PersonalIdNumber, "damaged");
        await CardSteps.StepAsync(api, renewed.DocumentNumber, "production");
        await CardSteps.StepAsync(api, renewed.DocumentNumber, "issue");
        Assert.Equal("revoked", (await CardSteps.GetAsync(api, number)).State);
    }

    /// <summary>Repeating an import with its key answers the card again; a card printed without expiry is imported as one that does not expire.</summary>
    [Fact]
    public async Task An_import_repeated_with_its_key_is_one_import()
    {
        var person = await People.RegisterAsync(api, birthDate: "1960-02-01");
        var key = ApiFixture.NewIdempotencyKey();
        var body = Import(NewNumber(), person.PersonalIdNumber, "2019-03-01", doesNotExpire: true);

        using var first = await api.PostAsync("/cards/imports", key, body.ToJsonString());
        using var second = await api.PostAsync("/cards/imports", key, body.ToJsonString());

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        var card = (await second.Content.ReadFromJsonAsync<CardResponse>())!;
        Assert.Null(card.ExpiresOn);
    }

    /// <summary>
    /// An issue date on or after 1 July 2024, an unknown holder, a dead holder, a holder with a valid card, a number
    /// another card has, a registry-form number, a missing expiry: each 400 naming its field, and nothing changed.
    /// </summary>
    [Fact]
    public async Task Imports_the_law_or_the_record_does_not_allow_are_refused()
    {
        var person = await People.RegisterAsync(api);
        var holder = await People.RegisterAsync(api);
        var taken = NewNumber();
        await ImportedAsync(Import(taken, holder.PersonalIdNumber, "2022-01-10", expiresOn: "2030-05-17"));
        var dead = await People.RegisterAsync(api);
        var yesterday = VietnamCalendar.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var death = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{dead.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
            $$"""{"date":"{{yesterday}}","place":"Huế","documentReference":"KT-12"}""");
        Assert.Equal(HttpStatusCode.OK, death.StatusCode);
        var before = await api.SnapshotAsync();

        await RefusedAsync(Import(NewNumber(), person.PersonalIdNumber, "2024-07-01", expiresOn: "2030-05-17"), "issuedOn");
        await RefusedAsync(Import(NewNumber(), "079190999999", "2022-01-10", expiresOn: "2030-05-17"), "personalIdNumber");
        await RefusedAsync(Import(NewNumber(), dead.PersonalIdNumber, "2022-01-10", expiresOn: "2030-05-17"), "personalIdNumber");
        await RefusedAsync(Import(NewNumber(), holder.PersonalIdNumber, "2022-01-10", expiresOn: "2030-05-17"), "personalIdNumber");
        await RefusedAsync(Import(taken, person.PersonalIdNumber, "2022-01-10", expiresOn: "2030-05-17"), "documentNumber");
        await RefusedAsync(Import("A79000001", person.PersonalIdNumber, "2022-01-10", expiresOn: "2030-05-17"), "documentNumber");
        await RefusedAsync(Import(NewNumber(), person.PersonalIdNumber, "2022-01-10"), "expiresOn");

        Assert.Equal(before, await api.SnapshotAsync());
        var history = await api.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/residents/{person.PersonalIdNumber}/history", UriKind.Relative));
        Assert.DoesNotContain(history!, entry => entry.GetProperty("field").GetString() == "identityCard");
        Assert.Equal(holder.PersonalIdNumber, (await CardSteps.GetAsync(api, taken)).PersonalIdNumber);
    }

    /// <summary>Only central administrators import: an officer is refused before anything is read.</summary>
    [Fact]
    public async Task Officers_do_not_import()
    {
        var person = await People.RegisterAsync(api);
        using var officer = api.ClientFor(TestActors.Officer("079"));

        using var response = await ApiFixture.PostAsync(officer, "/cards/imports", ApiFixture.NewIdempotencyKey(),
            Import(NewNumber(), person.PersonalIdNumber, "2022-01-10", expiresOn: "2030-05-17").ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    // Nine digits no other test uses.
    private static string NewNumber() => Random.Shared.Next(0, 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);

    private static JsonObject Import(string number, string personalIdNumber, string issuedOn, string? expiresOn = null, bool? doesNotExpire = null)
    {
        var body = new JsonObject { ["documentNumber"] = number, ["personalIdNumber"] = personalIdNumber, ["issuedOn"] = issuedOn };
        if (expiresOn is not null)
        {
            body["expiresOn"] = expiresOn;
        }

        if (doesNotExpire is not null)
        {
            body["doesNotExpire"] = doesNotExpire;
        }

        return body;
    }

    private async Task<CardResponse> ImportedAsync(JsonObject body)
    {
        using var response = await api.PostAsync("/cards/imports", ApiFixture.NewIdempotencyKey(), body.ToJsonString());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CardResponse>())!;
    }

    private async Task RefusedAsync(JsonObject body, string field)
    {
        using var response = await api.PostAsync("/cards/imports", ApiFixture.NewIdempotencyKey(), body.ToJsonString());
        Assert.Contains(field, await PartnerClients.ErrorFieldsAsync(response, HttpStatusCode.BadRequest));
    }
}
