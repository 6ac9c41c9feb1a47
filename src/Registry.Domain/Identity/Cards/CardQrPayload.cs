using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// The text of the QR code printed on Vietnam's chip identity card: seven fields separated by '|' —
/// <c>personal ID number|earlier 9-digit ID number|full name|birth date ddMMyyyy|Nam or Nữ|permanent address|issue date ddMMyyyy</c>,
/// e.g. <c>001090123456|012345678|Nguyễn Văn An|17051990|Nam|12 Hàng Bạc, Hoàn Kiếm, Hà Nội|01072024</c>.
/// The order is the format observed on issued cards and described by the readers that parse them, not a published
/// standard: no law or circular specifies it, so this is the one place to change if the issuer's format changes.
/// The format has no escape for '|', so no field may contain one.
/// </summary>
/// <param name="PersonalIdNumber">The holder's 12-digit number.</param>
/// <param name="PreviousIdNumber">The earlier 9-digit card's number; empty when there is none.</param>
/// <param name="FullName">The full name in Vietnamese, NFC.</param>
/// <param name="BirthDate">The birth date.</param>
/// <param name="Sex">The sex, written Nam (male) or Nữ (female).</param>
/// <param name="PermanentAddress">The permanent address as printed, NFC.</param>
/// <param name="IssueDate">The day the card was issued.</param>
public sealed record CardQrPayload(
    PersonalIdNumber PersonalIdNumber,
    string PreviousIdNumber,
    string FullName,
    DateOnly BirthDate,
    Sex Sex,
    string PermanentAddress,
    DateOnly IssueDate)
{
    /// <summary>Separates the fields.</summary>
    public const char Separator = '|';

    private const int FieldCount = 7;
    private const string DateFormat = "ddMMyyyy";
    private const string Male = "Nam";
    private const string Female = "Nữ";

    /// <summary>The payload printed on the card of <paramref name="face"/>.</summary>
    /// <exception cref="ArgumentException">The name or address holds a '|', which the format cannot carry.</exception>
    public static CardQrPayload For(CardFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        foreach (var (name, value) in new[] { (CardFields.FullName, face.FullName), (CardFields.PermanentAddress, face.PermanentAddress) })
        {
            if (value.Contains(Separator, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The card's {name} holds '{Separator}', which separates the QR code's fields.", nameof(face));
            }
        }

        return new CardQrPayload(face.PersonalIdNumber, face.PreviousIdNumber ?? "", face.FullName, face.BirthDate, face.Sex, face.PermanentAddress, face.IssueDate);
    }

    /// <summary>The text the QR code encodes.</summary>
    public override string ToString() => string.Join(Separator,
        PersonalIdNumber.Value, PreviousIdNumber, FullName, Text(BirthDate), Sex == Sex.Female ? Female : Male, PermanentAddress, Text(IssueDate));

    /// <summary>
    /// Reads a scanned payload, taken as Unicode NFC (a scanner may hand over decomposed letters). Refused, with every
    /// reason found naming the field by its position and meaning: a count of fields other than seven, a malformed
    /// personal or earlier ID number, an empty name or address, a date that does not exist or is not ddMMyyyy, a sex
    /// other than Nam or Nữ, an issue date before the birth date. Nothing is trimmed: the payload is machine-written.
    /// </summary>
    /// <param name="text">The payload as scanned.</param>
    /// <param name="payload">The payload when it is valid.</param>
    /// <param name="errors">Why it is not, each naming <paramref name="field"/>; empty when it is.</param>
    /// <param name="field">The request field that carried the payload, named in every error.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CardQrPayload? payload, out IReadOnlyList<FieldError> errors, string field = "qr")
    {
        payload = null;
        var refused = new FieldErrors();
        if (string.IsNullOrEmpty(text))
        {
            refused.Add(field, "The QR payload is required: 7 fields separated by '|'.");
            errors = refused.ToArray();
            return false;
        }

        var parts = text.Normalize(NormalizationForm.FormC).Split(Separator);
        if (parts.Length != FieldCount)
        {
            refused.Add(field, string.Create(CultureInfo.InvariantCulture,
                $"A chip card's QR payload has 7 fields separated by '|' (ID number, earlier ID number, name, birth date, sex, address, issue date); this has {parts.Length}."));
            errors = refused.ToArray();
            return false;
        }

        PersonalIdNumber? number = PersonalIdNumber.TryParse(parts[0], out var parsed, out var numberError) ? parsed : null;
        refused.Add(field, numberError is null ? null : $"Field 1 (personal ID number): {numberError}");
        refused.Add(field, parts[1].Length == 0 || (parts[1].Length == 9 && parts[1].All(char.IsAsciiDigit))
            ? null
            : $"Field 2 (earlier ID number): '{parts[1]}' is neither empty nor 9 digits.");
        refused.Add(field, Blank(parts[2]) ? "Field 3 (full name) is empty." : null);
        var birthDate = ReadDate(refused, field, "Field 4 (birth date)", parts[3]);
        Sex? sex = parts[4] switch
        {
            Male => Sex.Male,
            Female => Sex.Female,
            _ => null,
        };
        refused.Add(field, sex is null ? $"Field 5 (sex): '{parts[4]}' is neither Nam nor Nữ." : null);
        refused.Add(field, Blank(parts[5]) ? "Field 6 (permanent address) is empty." : null);
        var issueDate = ReadDate(refused, field, "Field 7 (issue date)", parts[6]);
        refused.Add(field, issueDate < birthDate ? "Field 7 (issue date): before the birth date in field 4." : null);

        errors = refused.ToArray();
        if (refused.Any)
        {
            return false;
        }

        payload = new CardQrPayload(number!.Value, parts[1], parts[2], birthDate!.Value, sex!.Value, parts[5], issueDate!.Value);
        return true;
    }

    /// <summary>
    /// The fields of <paramref name="payload"/> that contradict the registry's card <paramref name="face"/> (names
    /// from <see cref="CardFields"/>), empty when none does. Names only, never values: a verification answers without
    /// personal data. Name and address are compared as text — case and runs of spaces aside, but with every
    /// diacritic, since in Vietnamese a tone mark makes another name. The earlier ID number counts only when the
    /// registry knows one.
    /// </summary>
    public static IReadOnlyList<string> Contradictions(CardQrPayload payload, CardFace face)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(face);
        var contradictions = new List<string>();
        AddIf(contradictions, CardFields.PersonalIdNumber, payload.PersonalIdNumber != face.PersonalIdNumber);
        AddIf(contradictions, CardFields.PreviousIdNumber, face.PreviousIdNumber is { } previous && payload.PreviousIdNumber != previous);
        AddIf(contradictions, CardFields.FullName, !SameText(payload.FullName, face.FullName));
        AddIf(contradictions, CardFields.BirthDate, payload.BirthDate != face.BirthDate);
        AddIf(contradictions, CardFields.Sex, payload.Sex != face.Sex);
        AddIf(contradictions, CardFields.PermanentAddress, !SameText(payload.PermanentAddress, face.PermanentAddress));
        AddIf(contradictions, CardFields.IssueDate, payload.IssueDate != face.IssueDate);
        return contradictions;
    }

    private static string Text(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static bool Blank(string text) => string.IsNullOrWhiteSpace(text);

    private static DateOnly? ReadDate(FieldErrors refused, string field, string where, string text)
    {
        if (text.Length == DateFormat.Length && text.All(char.IsAsciiDigit)
            && DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        refused.Add(field, $"{where}: '{text}' is not a date written ddMMyyyy.");
        return null;
    }

    /// <summary>Whether two printed texts say the same: NFC, upper case, runs of white space as one space, ends trimmed.</summary>
    private static bool SameText(string a, string b) => Canonical(a) == Canonical(b);

    private static string Canonical(string text) =>
        string.Join(' ', text.Normalize(NormalizationForm.FormC).ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static void AddIf(List<string> fields, string field, bool contradicts)
    {
        if (contradicts)
        {
            fields.Add(field);
        }
    }
}
