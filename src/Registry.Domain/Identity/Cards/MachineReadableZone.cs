using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// The machine-readable zone of an identity card: ICAO Doc 9303 part 5, the TD1 format, three lines of 30 characters
/// from A–Z, 0–9 and the filler &lt;. Composed from a <see cref="CardFace"/> when the card is produced, and parsed back
/// when a card is presented for verification.
/// <code>
/// line 1  ID VNM nnnnnnnnn c pppppppppppp&lt;&lt;&lt;   document code, issuing state, document number + check digit,
///                                           optional data: the 12-digit personal ID number, then fillers
/// line 2  YYMMDD c S YYMMDD c VNM &lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt; k  birth date + check digit, sex, expiry + check digit,
///                                           nationality, optional data 2 (unused), composite check digit
/// line 3  SURNAME&lt;&lt;GIVEN&lt;NAMES&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;       the name, transliterated to A–Z
/// </code>
/// </summary>
public sealed record MachineReadableZone
{
    /// <summary>Characters in each of the three lines.</summary>
    public const int LineLength = 30;

    /// <summary>The document code: I for an identity document, D chosen by the issuer (Doc 9303 part 5).</summary>
    public const string DocumentCode = "ID";

    /// <summary>The filler: pads fields, separates name components, and counts 0 in check digits.</summary>
    public const char Filler = '<';

    private const int Lines = 3;
    private static readonly SearchValues<char> ZoneCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<");
    private const string NoDate = "<<<<<<";
    private const string Separator = "<<";

    private MachineReadableZone(string line1, string line2, string line3)
    {
        Line1 = line1;
        Line2 = line2;
        Line3 = line3;
    }

    /// <summary>Line 1: document code, issuing state, document number and its check digit, the personal ID number.</summary>
    public string Line1 { get; }

    /// <summary>Line 2: birth date, sex, expiry, nationality, each date with its check digit, and the composite check digit.</summary>
    public string Line2 { get; }

    /// <summary>Line 3: the name.</summary>
    public string Line3 { get; }

    /// <summary>The document number (line 1, positions 6–14).</summary>
    public string DocumentNumber { get; private init; } = "";

    /// <summary>The holder's personal ID number (line 1, optional data).</summary>
    public PersonalIdNumber PersonalIdNumber { get; private init; }

    /// <summary>The holder's birth date, its century settled as <see cref="TryParse"/> explains.</summary>
    public DateOnly BirthDate { get; private init; }

    /// <summary>The holder's sex; null for the filler, which Doc 9303 allows for an unspecified sex and this registry never writes.</summary>
    public Sex? Sex { get; private init; }

    /// <summary>The expiry; null for a card that does not expire.</summary>
    public DateOnly? ExpiryDate { get; private init; }

    /// <summary>The primary identifier (the family name) as the zone holds it, e.g. NGUYEN.</summary>
    public string Surname { get; private init; } = "";

    /// <summary>The secondary identifier (the given names) as the zone holds it, components separated by spaces, e.g. VAN AN.</summary>
    public string GivenNames { get; private init; } = "";

    /// <summary>The three lines, each ended by a line feed except the last, as printed.</summary>
    public override string ToString() => string.Join('\n', Line1, Line2, Line3);

    /// <summary>
    /// The zone of <paramref name="face"/>. A card that does not expire has fillers for its expiry: Doc 9303 gives
    /// the filler the value 0, so their check digit is the digit 0 — computed like every other, no special case —
    /// which is also how issuers of cards without expiry (Moldova's for holders over 60, for one) write it.
    /// </summary>
    public static MachineReadableZone For(CardFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        var line1 = new StringBuilder(LineLength)
            .Append(DocumentCode).Append(CardFace.Vietnam)
            .Append(face.DocumentNumber).Append(CheckDigit(face.DocumentNumber))
            .Append(face.PersonalIdNumber.Value)
            .ToString().PadRight(LineLength, Filler);

        var birth = TwoDigitYearDate(face.BirthDate);
        var expiry = face.ExpiryDate is { } date ? TwoDigitYearDate(date) : NoDate;
        var line2 = new StringBuilder(LineLength)
            .Append(birth).Append(CheckDigit(birth))
            .Append(face.Sex == Contracts.Residents.Sex.Female ? 'F' : 'M')
            .Append(expiry).Append(CheckDigit(expiry))
            .Append(CardFace.Vietnam)
            .ToString().PadRight(LineLength - 1, Filler);
        line2 += CompositeCheckDigit(line1, line2);

        return new MachineReadableZone(line1, line2, NameField(face.FullName))
        {
            DocumentNumber = face.DocumentNumber,
            PersonalIdNumber = face.PersonalIdNumber,
            BirthDate = face.BirthDate,
            Sex = face.Sex,
            ExpiryDate = face.ExpiryDate,
        }.WithNameParts();
    }

    /// <summary>
    /// Reads a scanned zone: three lines separated by line feeds (a carriage return before each, and one line feed
    /// after the last, are allowed; nothing else is trimmed or corrected). Refused, with every reason found naming the line, the positions and the field:
    /// a wrong number of lines or characters, a character outside A–Z, 0–9 and &lt; (lower case included), a document
    /// code, issuing state or nationality other than an identity card of Vietnam, a malformed document or personal ID
    /// number, a date that does not exist, and each of the four check digits (document number, birth date, expiry,
    /// composite) that does not match.
    /// <para>
    /// Doc 9303 writes two digits of each year (part 3, dates), so the century is the reader's to infer. A birth date
    /// is in the past: it is the latest such date not after <paramref name="today"/> — unless the personal ID number in
    /// line 1 names the century (Decree 137/2015: its fourth digit encodes sex and century, its fifth and sixth the
    /// year), which settles holders over 100 too. An expiry is read within 50 years either side of
    /// <paramref name="today"/>: no card under Law 26/2023 is valid for more than about 25 years, and a card that
    /// expired half a century ago is not presented.
    /// </para>
    /// </summary>
    /// <param name="text">The zone as scanned.</param>
    /// <param name="today">Today in Vietnam (<see cref="VietnamCalendar"/>), against which two-digit years are read.</param>
    /// <param name="zone">The zone when it is valid.</param>
    /// <param name="errors">Why it is not, each naming <paramref name="field"/>; empty when it is.</param>
    /// <param name="field">The request field that carried the zone, named in every error.</param>
    public static bool TryParse(string? text, DateOnly today, [NotNullWhen(true)] out MachineReadableZone? zone, out IReadOnlyList<FieldError> errors, string field = "mrz")
    {
        zone = null;
        var refused = new FieldErrors();
        var lines = SplitLines(text, field, refused);
        if (refused.Any)
        {
            errors = refused.ToArray();
            return false;
        }

        var (line1, line2, line3) = (lines[0], lines[1], lines[2]);
        Expect(refused, field, line1, "Line 1, document code (positions 1–2)", 0, DocumentCode, "the code of an identity card");
        Expect(refused, field, line1, "Line 1, issuing state (positions 3–5)", 2, CardFace.Vietnam, "Vietnam: the registry verifies only its own cards");

        var documentNumber = line1[5..14];
        if (!CardFace.IsDocumentNumber(documentNumber))
        {
            refused.Add(field, $"Line 1, document number (positions 6–14): '{documentNumber}' is not the number of a Vietnamese card (9 letters or digits, no fillers).");
        }
        else
        {
            CheckDigitMatches(refused, field, "Line 1, document number check digit (position 15)", line1[14], documentNumber, "the document number");
        }

        PersonalIdNumber? personalIdNumber = null;
        if (PersonalIdNumber.TryParse(line1[15..27], out var number, out var numberError))
        {
            personalIdNumber = number;
        }
        else
        {
            refused.Add(field, $"Line 1, personal ID number (positions 16–27): {numberError}");
        }

        Expect(refused, field, line1, "Line 1, optional data after the personal ID number (positions 28–30)", 27, new string(Filler, 3), "fillers");

        var birthDate = ReadDate(refused, field, "Line 2, birth date (positions 1–6)", line2[..6], year => BirthYear(year, line2[..6], today, personalIdNumber));
        if (birthDate > today)
        {
            refused.Add(field, $"Line 2, birth date (positions 1–6): {ResidentFields.Text(birthDate.Value)} is after today.");
        }

        CheckDigitMatches(refused, field, "Line 2, birth date check digit (position 7)", line2[6], line2[..6], "the birth date");

        Sex? sex = line2[7] switch
        {
            'M' => Contracts.Residents.Sex.Male,
            'F' => Contracts.Residents.Sex.Female,
            _ => null,
        };
        if (sex is null && line2[7] != Filler)
        {
            refused.Add(field, $"Line 2, sex (position 8): '{line2[7]}' is not M, F or <.");
        }

        var expiryText = line2[8..14];
        DateOnly? expiryDate = null;
        if (expiryText == NoDate)
        {
            // Also '<' as the check digit of a missing expiry: some readers carry over the rule Doc 9303 gives a TD3
            // passport's empty personal number. The composite reads '<' as 0, so both spellings give one composite.
            if (line2[14] is not ('0' or Filler))
            {
                refused.Add(field, $"Line 2, expiry check digit (position 15): '{line2[14]}' is not 0 (or <), the check digit of a card that does not expire.");
            }
        }
        else
        {
            expiryDate = ReadDate(refused, field, "Line 2, expiry (positions 9–14)", expiryText, year => ExpiryYear(year, today));
            CheckDigitMatches(refused, field, "Line 2, expiry check digit (position 15)", line2[14], expiryText, "the expiry");
        }

        Expect(refused, field, line2, "Line 2, nationality (positions 16–18)", 15, CardFace.Vietnam, "Vietnam's");
        Expect(refused, field, line2, "Line 2, optional data (positions 19–29)", 18, new string(Filler, 11), "fillers: Vietnam's cards leave it empty");
        CheckDigitMatches(refused, field, "Line 2, composite check digit (position 30)", line2[29], CompositeField(line1, line2), "line 1 positions 6–30 and line 2 positions 1–7, 9–15 and 19–29");

        var nameError = NameFieldError(line3);
        if (nameError is not null)
        {
            refused.Add(field, $"Line 3, name: {nameError}");
        }

        errors = refused.ToArray();
        if (refused.Any)
        {
            return false;
        }

        zone = new MachineReadableZone(line1, line2, line3)
        {
            DocumentNumber = documentNumber,
            PersonalIdNumber = personalIdNumber!.Value,
            BirthDate = birthDate!.Value,
            Sex = sex,
            ExpiryDate = expiryDate,
        }.WithNameParts();
        return true;
    }

    /// <summary>
    /// The fields of <paramref name="face"/> that this zone contradicts (names from <see cref="CardFields"/>), empty when
    /// the zone is the one the registry would print for that card. Names only, never values: a verification answers
    /// without personal data.
    /// </summary>
    public IReadOnlyList<string> Contradictions(CardFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        var printed = For(face);
        var contradictions = new List<string>();
        AddIf(contradictions, CardFields.DocumentNumber, DocumentNumber != printed.DocumentNumber);
        AddIf(contradictions, CardFields.PersonalIdNumber, PersonalIdNumber != printed.PersonalIdNumber);
        AddIf(contradictions, CardFields.FullName, Line3 != printed.Line3);
        AddIf(contradictions, CardFields.BirthDate, BirthDate != printed.BirthDate);
        AddIf(contradictions, CardFields.Sex, Sex != printed.Sex);
        AddIf(contradictions, CardFields.ExpiryDate, ExpiryDate != printed.ExpiryDate);
        return contradictions;
    }

    /// <summary>
    /// The ICAO Doc 9303 check digit of <paramref name="field"/> (part 3): each character's value (0–9 for digits,
    /// 10–35 for A–Z, 0 for the filler) times the weights 7, 3, 1 repeated from the left, summed, modulo 10.
    /// </summary>
    /// <exception cref="ArgumentException">A character outside A–Z, 0–9 and &lt;.</exception>
    public static char CheckDigit(ReadOnlySpan<char> field)
    {
        ReadOnlySpan<int> weights = [7, 3, 1];
        var sum = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            var value = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'Z' => c - 'A' + 10,
                Filler => 0,
                _ => throw new ArgumentException($"'{c}' is not a character of a machine-readable zone.", nameof(field)),
            };
            sum += value * weights[i % 3];
        }

        return (char)('0' + (sum % 10));
    }

    /// <summary>
    /// The composite check digit of a TD1 zone (Doc 9303 part 5): over line 1 positions 6–30 and line 2 positions
    /// 1–7, 9–15 and 19–29, that is everything but the codes, the sex and the nationality.
    /// </summary>
    public static char CompositeCheckDigit(string line1, string line2) => CheckDigit(CompositeField(line1, line2));

    /// <summary>
    /// Line 3 for <paramref name="fullName"/>. A Vietnamese name is written family name first, so the first word is
    /// the primary identifier and the rest the secondary, components separated by one filler and the two identifiers
    /// by two (Doc 9303 part 3). Letters are transliterated as Doc 9303 asks: diacritics and tone marks dropped, Đ
    /// read as D (the registry's <see cref="NameFolding"/>), a few Latin letters spelled out (Æ AE, Ø OE, ß SS, Þ TH);
    /// apostrophes are skipped, hyphens and other punctuation separate components, and characters with no Latin
    /// spelling are left out.
    /// <para>
    /// A name longer than 30 is truncated as Doc 9303 allows: the secondary identifier loses letters first, from
    /// the end of its last component, each component down to its initial, from the last to the first; only then the
    /// primary identifier, from its end. Removing one letter at a time leaves the field exactly full and ending in a
    /// letter, which is how Doc 9303 marks a name that may have been truncated.
    /// </para>
    /// </summary>
    public static string NameField(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        var latin = new StringBuilder(fullName.Length);
        foreach (var c in NameFolding.Fold(fullName))
        {
            latin.Append(c switch
            {
                >= 'a' and <= 'z' => char.ToUpperInvariant(c).ToString(),
                '\'' or '’' or 'ʼ' => "",
                'æ' => "AE",
                'ø' or 'œ' => "OE",
                'ß' => "SS",
                'þ' => "TH",
                'ð' => "D",
                'ł' => "L",
                'ı' => "I",
                _ when char.IsLetterOrDigit(c) => "",
                _ => " ",
            });
        }

        var words = latin.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return new string(Filler, LineLength);
        }

        var primary = words[0];
        var given = words[1..];
        string Joined() => given.Length == 0 ? primary : primary + Separator + string.Join(Filler, given);

        for (var i = given.Length - 1; i >= 0 && Joined().Length > LineLength; i--)
        {
            given[i] = given[i][..Math.Max(1, given[i].Length - (Joined().Length - LineLength))];
        }

        if (Joined().Length > LineLength)
        {
            primary = primary[..Math.Max(1, primary.Length - (Joined().Length - LineLength))];
        }

        // Only a name of a dozen one-letter given names gets here still too long; it keeps what fits.
        var name = Joined();
        return name.Length > LineLength ? name[..LineLength].TrimEnd(Filler).PadRight(LineLength, Filler) : name.PadRight(LineLength, Filler);
    }

    private MachineReadableZone WithNameParts()
    {
        var name = Line3.TrimEnd(Filler);
        var split = name.IndexOf(Separator, StringComparison.Ordinal);
        return this with
        {
            Surname = (split < 0 ? name : name[..split]).Replace(Filler, ' '),
            GivenNames = split < 0 ? "" : name[(split + Separator.Length)..].Replace(Filler, ' '),
        };
    }

    private static string[] SplitLines(string? text, string field, FieldErrors refused)
    {
        if (string.IsNullOrEmpty(text))
        {
            refused.Add(field, "The machine-readable zone is required: three lines of 30 characters.");
            return [];
        }

        // One line feed after the last line is allowed too: scanners in keyboard mode end what they read with one.
        var lines = text.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line).ToArray();
        if (lines is [.., ""] && lines.Length > 1)
        {
            lines = lines[..^1];
        }

        if (lines.Length != Lines)
        {
            refused.Add(field, string.Create(CultureInfo.InvariantCulture,
                $"An identity card's machine-readable zone (ICAO TD1) has 3 lines of 30 characters separated by line feeds; this has {lines.Length} lines."));
            return lines;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length != LineLength)
            {
                refused.Add(field, string.Create(CultureInfo.InvariantCulture, $"Line {i + 1} has {line.Length} characters; each line has 30."));
                continue;
            }

            var bad = line.AsSpan().IndexOfAnyExcept(ZoneCharacters);
            if (bad >= 0)
            {
                var what = char.IsAsciiLetterLower(line[bad]) ? "a lower-case letter; the zone is written in capitals" : "not A–Z, 0–9 or <";
                refused.Add(field, string.Create(CultureInfo.InvariantCulture, $"Line {i + 1}, position {bad + 1}: '{line[bad]}' is {what}."));
            }
        }

        return lines;
    }

    private static void Expect(FieldErrors refused, string field, string line, string where, int start, string expected, string meaning)
    {
        var found = line.Substring(start, expected.Length);
        if (found != expected)
        {
            refused.Add(field, $"{where}: '{found}' is not {expected}, {meaning}.");
        }
    }

    private static void CheckDigitMatches(FieldErrors refused, string field, string where, char found, string data, string what)
    {
        var expected = CheckDigit(data);
        if (found != expected)
        {
            refused.Add(field, $"{where}: the zone has '{found}', but {what} gives {expected}.");
        }
    }

    /// <summary>A YYMMDD date, its century chosen by <paramref name="year"/> from the two digits; null (and refused) when there is no such day.</summary>
    private static DateOnly? ReadDate(FieldErrors refused, string field, string where, string text, Func<int, int> year)
    {
        if (!text.All(char.IsAsciiDigit))
        {
            refused.Add(field, $"{where}: '{text}' is not a date (YYMMDD, digits only).");
            return null;
        }

        var month = int.Parse(text.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(text.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var fullYear = year(int.Parse(text.AsSpan(0, 2), CultureInfo.InvariantCulture));
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(fullYear, month))
        {
            refused.Add(field, string.Create(CultureInfo.InvariantCulture, $"{where}: '{text}' is not a date (YYMMDD; read as year {fullYear})."));
            return null;
        }

        return new DateOnly(fullYear, month, day);
    }

    private static int BirthYear(int twoDigits, string text, DateOnly today, PersonalIdNumber? personalIdNumber)
    {
        if (personalIdNumber is { } number && number.BirthYear % 100 == twoDigits)
        {
            return number.BirthYear;
        }

        var year = today.Year - (today.Year % 100) + twoDigits;
        var monthDay = string.CompareOrdinal(text[2..], today.ToString("MMdd", CultureInfo.InvariantCulture));
        return year > today.Year || (year == today.Year && monthDay > 0) ? year - 100 : year;
    }

    private static int ExpiryYear(int twoDigits, DateOnly today)
    {
        var year = today.Year - (today.Year % 100) + twoDigits;
        return year > today.Year + 49 ? year - 100 : year < today.Year - 50 ? year + 100 : year;
    }

    private static string TwoDigitYearDate(DateOnly date) => date.ToString("yyMMdd", CultureInfo.InvariantCulture);

    private static string CompositeField(string line1, string line2) => string.Concat(line1.AsSpan(5, 25), line2.AsSpan(0, 7), line2.AsSpan(8, 7), line2.AsSpan(18, 11));

    /// <summary>Why line 3 is not a name (primary identifier, optionally two fillers and the secondary, then fillers), or null.</summary>
    private static string? NameFieldError(string line)
    {
        var name = line.TrimEnd(Filler);
        if (name.Length == 0)
        {
            return "it is empty.";
        }

        if (name.Any(char.IsAsciiDigit))
        {
            return "digits are not part of a name.";
        }

        if (name[0] == Filler)
        {
            return "it starts with a filler; it starts with the family name.";
        }

        var split = name.IndexOf(Separator, StringComparison.Ordinal);
        if (split < 0)
        {
            return null;
        }

        var given = name.AsSpan(split + Separator.Length);
        return given[0] == Filler || given.Contains(Separator, StringComparison.Ordinal)
            ? "the given names hold two fillers in a row; only the family name is followed by two."
            : null;
    }

    private static void AddIf(List<string> fields, string field, bool contradicts)
    {
        if (contradicts)
        {
            fields.Add(field);
        }
    }
}
