using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Api.Cards;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Identity;
using Registry.Domain;
using Registry.Domain.Identity.Cards;
using Xunit;
using PartnerClients = Registry.Api.Tests.Partners.Partners;

namespace Registry.Api.Tests.Cards;

/// <summary>
/// A card presented by its machine-readable zone or its QR code (issue 12, part 7): the registry prints both from what the
/// card recorded at production, answers the status of the card they name, mismatch when they contradict it (never which
/// field), and 400 naming the field when they do not parse, with nothing changed.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class CardVerificationByZoneAndCodeTests(ApiFixture api)
{
    /// <summary>The card's own zone and code, as the registry prints them, verify as valid; belongs is answered as for a document number.</summary>
    [Fact]
    public async Task A_cards_own_zone_and_code_verify_as_valid()
    {
        var (person, card) = await CardHolderAsync();
        var face = await FaceAsync(card.DocumentNumber);
        using var partner = await PartnerAsync();

        Assert.Equal(3, face.Mrz.Count);
        Assert.All(face.Mrz, line => Assert.Equal(MachineReadableZone.LineLength, line.Length));
        Assert.StartsWith($"IDVNM{card.DocumentNumber}", face.Mrz[0], StringComparison.Ordinal);
        Assert.StartsWith($"{person.PersonalIdNumber}||", face.Qr, StringComparison.Ordinal);
        Assert.Equal("""{"status":"valid"}""", await VerifyAsync(partner, new JsonObject { ["mrz"] = Zone(face) }));
        Assert.Equal("""{"status":"valid","belongs":true}""",
            await VerifyAsync(partner, new JsonObject { ["mrz"] = Zone(face), ["personalIdNumber"] = person.PersonalIdNumber }));
        Assert.Equal("""{"status":"valid"}""", await VerifyAsync(partner, new JsonObject { ["qr"] = face.Qr }));
        Assert.Equal("""{"status":"valid"}""", await VerifyAsync(partner, new JsonObject { ["qr"] = face.Qr, ["documentNumber"] = card.DocumentNumber }));

        await CardSteps.StepAsync(api, card.DocumentNumber, "loss-report");
        Assert.Equal("""{"status":"reportedLost"}""", await VerifyAsync(partner, new JsonObject { ["mrz"] = Zone(face) }));
        Assert.Equal("""{"status":"reportedLost"}""", await VerifyAsync(partner, new JsonObject { ["qr"] = face.Qr }));
    }

    /// <summary>A zone with a wrong check digit, a QR code of six fields, both at once: 400 naming mrz or qr, and nothing changed.</summary>
    [Fact]
    public async Task A_zone_with_a_wrong_check_digit_or_a_malformed_code_is_refused()
    {
        var (_, card) = await CardHolderAsync();
        var face = await FaceAsync(card.DocumentNumber);
        using var partner = await PartnerAsync();
        var line1 = face.Mrz[0];
        var wrongDigit = (char)('0' + ((line1[14] - '0' + 1) % 10));
        var tampered = string.Join('\n', line1[..14] + wrongDigit + line1[15..], face.Mrz[1], face.Mrz[2]);
        var before = await api.SnapshotAsync();

        Assert.Equal(["mrz"], await RefusedAsync(partner, new JsonObject { ["mrz"] = tampered }));
        Assert.Equal(["qr"], await RefusedAsync(partner, new JsonObject { ["qr"] = string.Join('|', face.Qr!.Split('|')[..6]) }));
        Assert.Equal(["qr"], await RefusedAsync(partner, new JsonObject { ["qr"] = face.Qr!.Replace("|Nữ|", "|Nu|", StringComparison.Ordinal) }));
        Assert.Equal(["mrz"], await RefusedAsync(partner, new JsonObject { ["mrz"] = Zone(face), ["documentNumber"] = card.DocumentNumber }));
        Assert.Equal(["documentNumber"], await RefusedAsync(partner, new JsonObject { ["personalIdNumber"] = card.PersonalIdNumber }));

        Assert.Equal(before, await api.SnapshotAsync());
        Assert.Equal("issued", (await CardSteps.GetAsync(api, card.DocumentNumber)).State);
    }

    /// <summary>
    /// A QR code or zone well formed but contradicting the registry's card (another name, another birth date) answers
    /// mismatch and nothing else: no belongs, no field named.
    /// </summary>
    [Fact]
    public async Task A_contradicting_code_or_zone_answers_mismatch_and_nothing_else()
    {
        var (person, card) = await CardHolderAsync();
        var face = await FaceAsync(card.DocumentNumber);
        using var partner = await PartnerAsync();
        var fields = face.Qr!.Split('|');
        fields[2] = "Nguyễn Thị Khác";
        Assert.True(MachineReadableZone.TryParse(Zone(face), VietnamCalendar.Today(TimeProvider.System), out var zone, out _));
        var forged = MachineReadableZone.For(new CardFace(zone.DocumentNumber, zone.PersonalIdNumber, fields[2], zone.BirthDate.AddDays(1),
            zone.Sex!.Value, new DateOnly(2024, 7, 1), zone.ExpiryDate, "x", null)).ToString();

        Assert.Equal("""{"status":"mismatch"}""",
            await VerifyAsync(partner, new JsonObject { ["qr"] = string.Join('|', fields), ["personalIdNumber"] = person.PersonalIdNumber }));
        Assert.Equal("""{"status":"mismatch"}""", await VerifyAsync(partner, new JsonObject { ["qr"] = string.Join('|', fields), ["documentNumber"] = card.DocumentNumber }));
        Assert.Equal("""{"status":"mismatch"}""", await VerifyAsync(partner, new JsonObject { ["mrz"] = forged, ["personalIdNumber"] = person.PersonalIdNumber }));
        Assert.Equal("issued", (await CardSteps.GetAsync(api, card.DocumentNumber)).State);
    }

    /// <summary>
    /// A card keeps the face it was produced with: after an approved correction of the holder's name, the card still in
    /// use verifies by its printed zone and code, and its face is unchanged.
    /// </summary>
    [Fact]
    public async Task A_card_keeps_its_face_when_the_record_is_corrected()
    {
        var (person, card) = await CardHolderAsync();
        var face = await FaceAsync(card.DocumentNumber);
        using var partner = await PartnerAsync();

        using var corrected = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai chính tả", "QD-11", ("fullName", "Trần Thị Bích Ngọc")));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        var after = await FaceAsync(card.DocumentNumber);
        Assert.Equal(face.Mrz, after.Mrz);
        Assert.Equal(face.Qr, after.Qr);
        Assert.Equal("""{"status":"valid"}""", await VerifyAsync(partner, new JsonObject { ["mrz"] = Zone(face) }));
        Assert.Equal("""{"status":"valid"}""", await VerifyAsync(partner, new JsonObject { ["qr"] = face.Qr }));
    }

    /// <summary>A zone naming no card of the registry is unknown; an applied-for card has no face yet (409 naming its state).</summary>
    [Fact]
    public async Task A_zone_of_no_issued_card_is_unknown_and_an_unissued_card_has_no_face()
    {
        var person = await People.RegisterAsync(api);
        var applied = await CardSteps.ApplyAsync(api, person.PersonalIdNumber);
        using var partner = await PartnerAsync();
        var stranger = MachineReadableZone.For(new CardFace("Z01999999", PersonalIdNumber.TryParse(person.PersonalIdNumber, out var number, out _) ? number : default,
            "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Contracts.Residents.Sex.Female, new DateOnly(2024, 8, 1), new DateOnly(2030, 5, 17), "x", null));

        Assert.Equal("""{"status":"unknown"}""", await VerifyAsync(partner, new JsonObject { ["mrz"] = stranger.ToString() }));
        using var noFace = await api.GetAsync($"/cards/{applied.DocumentNumber}/face");
        Assert.Equal(["state"], await PartnerClients.ErrorFieldsAsync(noFace, HttpStatusCode.Conflict));
    }

    private async Task<(ResidentResponse Person, CardResponse Card)> CardHolderAsync()
    {
        var person = await People.RegisterAsync(api, with: body => body["permanentAddress"] = "12 Lê Lợi, Phường Bến Thành");
        return (person, await CardSteps.IssueNewAsync(api, person.PersonalIdNumber));
    }

    private async Task<HttpClient> PartnerAsync() => PartnerClients.ClientFor(api, await PartnerClients.WithPolicyAsync(api));

    private async Task<CardFaceResponse> FaceAsync(string documentNumber) =>
        (await api.Http.GetFromJsonAsync<CardFaceResponse>(new Uri($"/cards/{documentNumber}/face", UriKind.Relative)))!;

    private static string Zone(CardFaceResponse face) => string.Join('\n', face.Mrz);

    private static async Task<string> VerifyAsync(HttpClient partner, JsonObject body)
    {
        using var response = await PartnerClients.PostAsync(partner, "/card-verifications", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    private static async Task<string[]> RefusedAsync(HttpClient partner, JsonObject body)
    {
        using var response = await PartnerClients.PostAsync(partner, "/card-verifications", body);
        return await PartnerClients.ErrorFieldsAsync(response, HttpStatusCode.BadRequest);
    }
}
