using System.Globalization;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Residents;

/// <summary>
/// The checks a registration passes before anything is stored. Pure: the API runs them at the edge for a
/// fast answer, and the registration grain runs them again because grain calls are an entry point too.
/// Whether linked people exist is not decidable here; the registration grain asks them.
/// </summary>
public static class RegistrationRules
{
    /// <summary>Longest full name (and other name) accepted, in UTF-16 code units after NFC normalisation.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest free text accepted (hometown, address, place, reason, document reference).</summary>
    public const int MaxTextLength = 500;

    /// <summary>Most other names a person may be recorded with.</summary>
    public const int MaxOtherNames = 5;

    /// <summary>Longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 100;

    /// <summary>
    /// Consecutive months in one commune before a person of undetermined nationality receives an identity
    /// certificate (Law on Identification 26/2023 Art. 30).
    /// </summary>
    public const int CertificateResidenceMonths = 6;

    /// <summary>Earliest birth date accepted.</summary>
    public static readonly DateOnly EarliestBirthDate = new(SexCenturyDigit.FirstYear, 1, 1);

    /// <summary>
    /// Checks <paramref name="command"/> and returns it normalised (texts in NFC, trimmed) or the errors, every
    /// faulty field at once.
    /// </summary>
    /// <param name="command">The command as received.</param>
    /// <param name="today">Today's date in Vietnam, the latest birth date accepted.</param>
    public static (RegisterResident? Normalised, FieldError[] Errors) Check(RegisterResident command, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", CheckIdempotencyKey(command.IdempotencyKey));
        var name = errors.Take("fullName", NormaliseName(command.FullName));
        var birthDateError = CheckBirthDate(command.BirthDate, today);
        errors.Add("birthDate", birthDateError);
        var sexKnown = Enum.IsDefined(command.Sex);
        errors.Add("sex", sexKnown ? null : "Sex must be male or female.");
        var provinceError = CheckBirthRegistrationProvince(command.BirthRegistrationProvince);
        errors.Add("birthRegistrationProvince", provinceError);
        errors.Add("actor", command.Actor is null ? "The registering officer is required." : null);

        var otherNames = new List<string>();
        if (command.OtherNames.Count > MaxOtherNames)
        {
            errors.Add("otherNames", $"At most {MaxOtherNames} other names; this has {command.OtherNames.Count}.");
        }
        else
        {
            foreach (var otherName in command.OtherNames)
            {
                if (errors.Take("otherNames", NormaliseText(otherName, "Other name", MaxNameLength)) is { } normalised)
                {
                    otherNames.Add(normalised);
                }
            }
        }

        var hometown = errors.Take("hometown", NormaliseOptionalText(command.Hometown, "Hometown"));
        var ethnicity = errors.Take("ethnicity", NormaliseOptionalText(command.Ethnicity, "Ethnicity"));
        var religion = errors.Take("religion", NormaliseOptionalText(command.Religion, "Religion"));
        var address = errors.Take("permanentAddress", NormaliseOptionalText(command.PermanentAddress, "Permanent address"));
        errors.Add("nationality", Enum.IsDefined(command.Nationality) ? null : "Nationality must be vietnamese, undeterminedVietnameseOrigin or foreignLongTermResident.");
        var certificate = errors.Take("identityCertificate", CheckCertificate(command.Nationality, command.IdentityCertificate, command.BirthDate, today));

        if (command.IssuedNumber is { } issued && sexKnown && birthDateError is null && provinceError is null)
        {
            errors.Add("issuedNumber", issued.BirthRegistrationProvince != command.BirthRegistrationProvince
                ? $"The number's province code {issued.BirthRegistrationProvince} is not the birth registration province {command.BirthRegistrationProvince}."
                : issued.ContradictionWith(command.BirthDate, command.Sex));
        }

        foreach (var (field, number) in command.Family.Declared())
        {
            errors.Add(field, number == command.IssuedNumber ? "A person cannot be linked to themselves." : null);
        }

        return errors.Any
            ? (null, errors.ToArray())
            : (command with
            {
                FullName = name!,
                OtherNames = otherNames,
                Hometown = hometown,
                Ethnicity = ethnicity,
                Religion = religion,
                PermanentAddress = address,
                IdentityCertificate = certificate,
            }, []);
    }

    /// <summary>Why a registration keeping <paramref name="number"/> is refused when somebody already holds it.</summary>
    public static string IssuedNumberTaken(PersonalIdNumber number) => $"The issued number {number} already belongs to a person in the registry.";

    /// <summary>Why a link to <paramref name="number"/> is refused when nobody holds it.</summary>
    public static string NoLinkedPerson(PersonalIdNumber number) => $"No person holds the personal ID number {number}.";

    /// <summary>
    /// The record a registration creates: the normalised request under <paramref name="number"/>, living in
    /// <paramref name="residenceProvince"/> (the unit the birth registration province belongs to now). The registration
    /// grain and the national bulk load both build it here, so a loaded person is recorded as a registered one.
    /// </summary>
    public static ResidentRecord NewRecord(RegisterResident request, PersonalIdNumber number, string residenceProvince, DateTimeOffset registeredAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ResidentRecord(number, request.FullName, request.BirthDate, request.Sex, request.BirthRegistrationProvince, residenceProvince, registeredAt)
        {
            OtherNames = request.OtherNames,
            Hometown = request.Hometown,
            Ethnicity = request.Ethnicity,
            Religion = request.Religion,
            Nationality = request.Nationality,
            IdentityCertificate = request.IdentityCertificate,
            Family = request.Family,
            PermanentAddress = request.PermanentAddress,
        };
    }

    /// <summary>The first entry of a registered person's history: the whole record, created by the registering officer.</summary>
    public static ResidentChange FirstEntry(RegisterResident request, ResidentRecord record)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(record);
        return new ResidentChange(request.IdempotencyKey, ResidentChangeKind.Registration, record.RegisteredAt, request.Actor!,
            ResidentFields.Record, null, record.PersonalIdNumber.Value, null, null);
    }

    /// <summary>
    /// The count a person's first registration owes their province. Law on Civil Status 60/2014: a birth is registered
    /// within 60 days; a first registration within a year of birth is counted as a birth, anything later as the
    /// registration of someone already living.
    /// </summary>
    public static OwedCount CountOwed(ResidentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var newborn = record.BirthDate > DateOnly.FromDateTime(record.RegisteredAt.UtcDateTime).AddYears(-1);
        var count = new ResidentCountChange($"registration:{record.PersonalIdNumber}", record.PersonalIdNumber, +1,
            newborn ? ResidentCountReason.Birth : ResidentCountReason.Registration);
        return new OwedCount(record.PermanentResidenceProvince, count);
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not register a person whose birth is registered in
    /// <paramref name="birthRegistrationProvince"/>, or null when they may: provincial officers register for
    /// their own province, central administrators for any.
    /// </summary>
    public static string? CheckRegistrar(Actor actor, string birthRegistrationProvince)
    {
        return Jurisdiction.RefusalFor(actor, birthRegistrationProvince, "registers people born in");
    }

    /// <summary>Why <paramref name="birthDate"/> cannot be a birth date, or null when it can.</summary>
    public static string? CheckBirthDate(DateOnly birthDate, DateOnly today) =>
        birthDate < EarliestBirthDate ? $"Birth date must be on or after {EarliestBirthDate:yyyy-MM-dd}."
        : birthDate > today ? $"Birth date {birthDate:yyyy-MM-dd} is in the future."
        : null;

    /// <summary>Why <paramref name="code"/> cannot be a birth registration province, or null when it can.</summary>
    public static string? CheckBirthRegistrationProvince(string? code) =>
        ProvinceCatalog.IsKnown(code) ? null : $"'{code}' is not one of the 63 province codes.";

    /// <summary>Why <paramref name="key"/> cannot be an idempotency key, or null when it can.</summary>
    public static string? CheckIdempotencyKey(string? key) => key switch
    {
        null or "" => "An idempotency key is required.",
        { Length: > MaxIdempotencyKeyLength } => $"An idempotency key has at most {MaxIdempotencyKeyLength} characters.",
        // Printable ASCII only: keys travel in HTTP headers and become grain keys.
        _ when !key.All(c => c is > ' ' and <= '~') => "An idempotency key has only printable ASCII characters and no spaces.",
        _ => null,
    };

    /// <summary>
    /// Why a person of <paramref name="nationality"/> cannot hold <paramref name="certificate"/>, or the
    /// certificate with its commune normalised.
    /// </summary>
    public static (IdentityCertificate? Certificate, string? Error) CheckCertificate(
        NationalityStatus nationality, IdentityCertificate? certificate, DateOnly birthDate, DateOnly today)
    {
        if (certificate is null)
        {
            return (null, nationality == NationalityStatus.UndeterminedVietnameseOrigin
                ? "A person of undetermined nationality is registered with their identity certificate (Law 26/2023 Art. 30)."
                : null);
        }

        if (nationality != NationalityStatus.UndeterminedVietnameseOrigin)
        {
            return (null, "Only a person of undetermined nationality is registered with an identity certificate.");
        }

        var (commune, communeError) = NormaliseText(certificate.Commune, "The certificate's commune", MaxTextLength);
        var error = communeError
            ?? (certificate.IssuedOn > today ? $"The certificate's issue date {certificate.IssuedOn:yyyy-MM-dd} is in the future."
            : certificate.LivingInCommuneSince < birthDate ? "The person cannot have lived in the commune since before their birth."
            : certificate.LivingInCommuneSince.AddMonths(CertificateResidenceMonths) > certificate.IssuedOn
                ? string.Create(CultureInfo.InvariantCulture,
                    $"A certificate needs {CertificateResidenceMonths} consecutive months in one commune before its issue (Law 26/2023 Art. 30); living there since {certificate.LivingInCommuneSince:yyyy-MM-dd} and issued {certificate.IssuedOn:yyyy-MM-dd} is less.")
            : null);
        return error is null ? (certificate with { Commune = commune! }, null) : (null, error);
    }

    /// <summary>
    /// The name in NFC (so that composed and decomposed input store alike), trimmed; refused when empty,
    /// too long, or holding control or invisible formatting characters that make two names look alike.
    /// </summary>
    public static (string? Name, string? Error) NormaliseName(string? name) => NormaliseText(name, "Full name", MaxNameLength);

    /// <summary>An optional text normalised like a name, up to <see cref="MaxTextLength"/>; null stays null.</summary>
    public static (string? Text, string? Error) NormaliseOptionalText(string? text, string label) =>
        text is null ? (null, null) : NormaliseText(text, label, MaxTextLength);

    /// <summary>
    /// <paramref name="text"/> in NFC, trimmed; refused when missing, empty, longer than <paramref name="maxLength"/>,
    /// damaged in transit, or holding control or invisible characters. <paramref name="label"/> names it in messages.
    /// </summary>
    public static (string? Text, string? Error) NormaliseText(string? text, string label, int maxLength)
    {
        if (text is null)
        {
            return (null, $"{label} is required.");
        }

        // Characters first: normalisation itself refuses ill-formed UTF-16.
        for (var i = 0; i < text.Length;)
        {
            // A lone surrogate, or U+FFFD left behind by a wrong decoding upstream, means the text was damaged in transit.
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done
                || rune == Rune.ReplacementChar)
            {
                return (null, $"{label} is not valid Unicode text.");
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return (null, $"{label} contains the control or invisible character U+{rune.Value:X4}.");
            }

            i += consumed;
        }

        text = text.Normalize(NormalizationForm.FormC).Trim();
        if (text.Length == 0)
        {
            return (null, $"{label} must not be empty or only spaces.");
        }

        return text.Length > maxLength
            ? (null, $"{label} has at most {maxLength} characters; this has {text.Length}.")
            : (text, null);
    }
}
