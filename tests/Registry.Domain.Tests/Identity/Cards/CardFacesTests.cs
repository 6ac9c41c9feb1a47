using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>
/// A card's face comes from what it printed when it was produced, never from the record as it is later; a zone or QR code
/// matches the card only when no field contradicts that face.
/// </summary>
public sealed class CardFacesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Actor Officer = new("officer-001", ActorRole.ProvincialOfficer, "001");
    private static readonly CardFace Anh = CardFaceSamples.Anh;

    /// <summary>Production records the record's data on the card; a later change of the record leaves the card's face as it was.</summary>
    [Fact]
    public void Production_prints_the_record_of_its_day()
    {
        var resident = new ResidentRecord(Anh.PersonalIdNumber, Anh.FullName, Anh.BirthDate, Anh.Sex, "001", "001", Now) { PermanentAddress = Anh.PermanentAddress, Hometown = "Huế" };
        var applied = new IdentityCard(Number(Anh.DocumentNumber), Anh.PersonalIdNumber, "001", CardReason.FirstCard, CardState.Applied, new DateOnly(2024, 6, 1));

        var produced = Assert.IsType<CardChanged>(CardLifecycle.Decide(applied,
            new CardTransition(CardStepKind.Production, "p", Now, Officer) { Printed = CardFaces.Print(resident) })).Card;
        var issued = Assert.IsType<CardChanged>(CardLifecycle.Decide(produced,
            new CardTransition(CardStepKind.Issue, "i", Now, Officer) { IssuedOn = Anh.IssueDate, ExpiresOn = Anh.ExpiryDate })).Card;

        Assert.Null(CardFaces.Of(produced));
        Assert.Equal(Anh, CardFaces.Of(issued));
        Assert.Equal(produced.Printed, issued.Printed);
    }

    /// <summary>A person recorded without a street address prints their commune and province.</summary>
    [Fact]
    public void Without_a_street_address_the_card_prints_the_commune_and_province()
    {
        var resident = new ResidentRecord(Anh.PersonalIdNumber, Anh.FullName, Anh.BirthDate, Anh.Sex, "001", "001", Now) { PermanentResidenceCommune = "00004" };

        Assert.Equal("00004, 001", CardFaces.Print(resident).PermanentAddress);
    }

    /// <summary>The card's own zone and code match it; one changed field, a card with no recorded face, or another card's code do not.</summary>
    [Fact]
    public void A_zone_or_code_matches_only_its_own_card()
    {
        var card = Issued(Anh);
        var qr = CardQrPayload.For(Anh);

        Assert.True(CardFaces.Matches(card, MachineReadableZone.For(Anh)));
        Assert.True(CardFaces.Matches(card, qr));
        Assert.False(CardFaces.Matches(card, MachineReadableZone.For(Anh with { BirthDate = Anh.BirthDate.AddDays(1) })));
        Assert.False(CardFaces.Matches(card, MachineReadableZone.For(Anh with { ExpiryDate = null })));
        Assert.False(CardFaces.Matches(card, qr with { FullName = "Nguyễn Thị Anh" }));
        Assert.False(CardFaces.Matches(card, qr with { IssueDate = qr.IssueDate.AddDays(-1) }));
        Assert.False(CardFaces.Matches(card with { Printed = null }, qr));
        Assert.False(CardFaces.Matches(card with { Printed = null }, MachineReadableZone.For(Anh)));
    }

    /// <summary>A name or address holding '|' has no QR code: the format has no escape for it.</summary>
    [Fact]
    public void A_face_the_code_cannot_carry_has_no_code()
    {
        Assert.NotNull(CardFaces.QrOf(Anh));
        Assert.Null(CardFaces.QrOf(Anh with { PermanentAddress = "Lô 3|4, Khu công nghiệp" }));
    }

    private static IdentityCard Issued(CardFace face) =>
        new(Number(face.DocumentNumber), face.PersonalIdNumber, "001", CardReason.FirstCard, CardState.Issued, face.IssueDate)
        {
            IssuedOn = face.IssueDate,
            ExpiresOn = face.ExpiryDate,
            Printed = new PrintedHolder(face.FullName, face.BirthDate, face.Sex, face.PermanentAddress, face.PlaceOfOrigin),
        };

    private static DocumentNumber Number(string text)
    {
        Assert.True(DocumentNumber.TryParse(text, out var number, out var error), error);
        return number;
    }
}
