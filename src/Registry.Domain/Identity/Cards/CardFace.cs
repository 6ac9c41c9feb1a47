using System.Text;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// What one identity card carries, printed on its face and written to its chip (Law 26/2023 Art. 18): the data the
/// machine-readable zone (<see cref="MachineReadableZone"/>) and the printed QR code (<see cref="CardQrPayload"/>)
/// are composed from, and what a scanned zone or code is compared with. A card is a snapshot: it keeps the data of the day it was produced,
/// even when the record changes later (a change of data is a new card, Law 26/2023 Art. 24).
/// </summary>
/// <param name="DocumentNumber">The card's own number: 9 characters from A–Z and 0–9, the width ICAO Doc 9303 gives it in a TD1 zone.</param>
/// <param name="PersonalIdNumber">The holder's number for life.</param>
/// <param name="FullName">The holder's full name in Vietnamese, family name first; kept in Unicode NFC.</param>
/// <param name="BirthDate">The holder's birth date.</param>
/// <param name="Sex">The holder's sex.</param>
/// <param name="IssueDate">The day the card was issued.</param>
/// <param name="ExpiryDate">The day the card expires; null for a card that does not expire (issued at 60 or later, Law 26/2023 Art. 21).</param>
/// <param name="PermanentAddress">The permanent address as printed.</param>
/// <param name="PlaceOfOrigin">The place of origin (quê quán) as printed; null when the record has none.</param>
public sealed record CardFace(
    string DocumentNumber,
    PersonalIdNumber PersonalIdNumber,
    string FullName,
    DateOnly BirthDate,
    Sex Sex,
    DateOnly IssueDate,
    DateOnly? ExpiryDate,
    string PermanentAddress,
    string? PlaceOfOrigin)
{
    /// <summary>Characters in a document number.</summary>
    public const int DocumentNumberLength = 9;

    /// <summary>
    /// Vietnam's code in ICAO Doc 9303 (ISO 3166-1 alpha-3), as issuing state and as the holder's nationality, which
    /// a card therefore does not hold as a field of its own: an identity card is issued to Vietnamese citizens only
    /// (Law 26/2023 Art. 19); people of undetermined nationality receive an identity certificate instead (Art. 30),
    /// which is not this document.
    /// </summary>
    public const string Vietnam = "VNM";

    // Each checked property validates both ways in: the primary constructor's initialiser and `with`'s init accessor.

    /// <summary>The card's own number.</summary>
    public string DocumentNumber { get; init => field = Checked(value); } = Checked(DocumentNumber);

    /// <summary>The holder's full name, in NFC so that the composed codes and comparisons see one spelling.</summary>
    public string FullName { get; init => field = CheckedName(value); } = CheckedName(FullName);

    /// <summary>The permanent address as printed, in NFC.</summary>
    public string PermanentAddress { get; init => field = Nfc(value); } = Nfc(PermanentAddress);

    /// <summary>
    /// The number of the holder's earlier 9-digit identity card (CMND), which the chip card's QR code repeats; null
    /// when there is none or the registry does not know it.
    /// </summary>
    public string? PreviousIdNumber
    {
        get;
        init => field = value is null || (value.Length == 9 && value.All(char.IsAsciiDigit))
            ? value
            : throw new ArgumentException($"An earlier identity card number is 9 digits, not '{value}'.", nameof(value));
    }

    /// <summary>Whether <paramref name="text"/> is a document number: exactly 9 characters, each A–Z or 0–9.</summary>
    public static bool IsDocumentNumber(string? text) =>
        text is { Length: DocumentNumberLength } && text.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));

    private static string Checked(string documentNumber) => IsDocumentNumber(documentNumber)
        ? documentNumber
        : throw new ArgumentException($"A document number is {DocumentNumberLength} characters from A–Z and 0–9, not '{documentNumber}'.", nameof(documentNumber));

    private static string CheckedName(string fullName) => string.IsNullOrWhiteSpace(fullName)
        ? throw new ArgumentException("A card carries the holder's full name.", nameof(fullName))
        : Nfc(fullName);

    private static string Nfc(string text) => (text ?? throw new ArgumentNullException(nameof(text))).Normalize(NormalizationForm.FormC);
}

/// <summary>The API's names of a card's fields, used in refusals and in the lists of contradicting fields.</summary>
public static class CardFields
{
    /// <summary>The card's own number.</summary>
    public const string DocumentNumber = "documentNumber";

    /// <summary>The holder's personal ID number.</summary>
    public const string PersonalIdNumber = ResidentFields.PersonalIdNumber;

    /// <summary>The earlier 9-digit card's number.</summary>
    public const string PreviousIdNumber = "previousIdNumber";

    /// <summary>The holder's full name.</summary>
    public const string FullName = ResidentFields.FullName;

    /// <summary>The holder's birth date.</summary>
    public const string BirthDate = ResidentFields.BirthDate;

    /// <summary>The holder's sex.</summary>
    public const string Sex = ResidentFields.Sex;

    /// <summary>The holder's nationality.</summary>
    public const string Nationality = ResidentFields.Nationality;

    /// <summary>The day the card was issued.</summary>
    public const string IssueDate = "issueDate";

    /// <summary>The day the card expires.</summary>
    public const string ExpiryDate = "expiryDate";

    /// <summary>The permanent address as printed.</summary>
    public const string PermanentAddress = ResidentFields.PermanentAddress;
}
