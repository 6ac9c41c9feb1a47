using Registry.Contracts.Cards;
using Registry.Contracts.Residents;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// A card's printed face from the registry's record of it, and whether a presented machine-readable zone or QR code is
/// that face. The record keeps what the card printed of its holder (<see cref="IdentityCard.Printed"/>, taken when it was
/// produced or imported); the zone and the code are composed from it on demand, never stored, so they are always what
/// the codecs make of the card.
/// </summary>
public static class CardFaces
{
    /// <summary>
    /// What a card produced today prints of <paramref name="resident"/>. The registry keeps residence units by code, so a
    /// person recorded without a street address gets their commune and province codes as the printed address: the QR
    /// code has no empty field.
    /// </summary>
    public static PrintedHolder Print(ResidentRecord resident)
    {
        ArgumentNullException.ThrowIfNull(resident);
        var address = resident.PermanentAddress
                      ?? string.Join(", ", new[] { resident.PermanentResidenceCommune, resident.PermanentResidenceProvince }.OfType<string>());
        return new PrintedHolder(resident.FullName, resident.BirthDate, resident.Sex, address, resident.Hometown);
    }

    /// <summary>
    /// The face of <paramref name="card"/>, or null while it has none: its issue date (and with it the expiry) is known
    /// from its issue, and a card produced before the registry recorded printed data has none to compose from.
    /// </summary>
    public static CardFace? Of(IdentityCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card is { Printed: { } printed, IssuedOn: { } issuedOn }
            ? new CardFace(card.DocumentNumber.Value, card.Holder, printed.FullName, printed.BirthDate, printed.Sex, issuedOn, card.ExpiresOn,
                printed.PermanentAddress, printed.PlaceOfOrigin)
            : null;
    }

    /// <summary>
    /// The QR code printed on the card of <paramref name="face"/>, or null when its name or address holds a '|', which
    /// the code's format cannot carry (registration does not refuse it in an address).
    /// </summary>
    public static CardQrPayload? QrOf(CardFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        return face.FullName.Contains(CardQrPayload.Separator, StringComparison.Ordinal) || face.PermanentAddress.Contains(CardQrPayload.Separator, StringComparison.Ordinal)
            ? null
            : CardQrPayload.For(face);
    }

    /// <summary>
    /// Whether <paramref name="zone"/> is the zone of <paramref name="card"/>: no field contradicts the face. A card
    /// without a face cannot be confirmed, so nothing presented matches it.
    /// </summary>
    public static bool Matches(IdentityCard card, MachineReadableZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Of(card) is { } face && zone.Contradictions(face).Count == 0;
    }

    /// <summary>Whether <paramref name="payload"/> is the QR code of <paramref name="card"/>, as <see cref="Matches(IdentityCard, MachineReadableZone)"/>.</summary>
    public static bool Matches(IdentityCard card, CardQrPayload payload) =>
        Of(card) is { } face && CardQrPayload.Contradictions(payload, face).Count == 0;
}
