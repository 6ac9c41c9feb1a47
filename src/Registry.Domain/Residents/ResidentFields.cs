using System.Globalization;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Domain.Residents;

/// <summary>
/// The fields of a person's record by their API names, and each field's text form: how amendments state new
/// values and how history shows old and new ones.
/// </summary>
public static class ResidentFields
{
#pragma warning disable CS1591 // The names are the documentation.
    public const string FullName = "fullName";
    public const string OtherNames = "otherNames";
    public const string BirthDate = "birthDate";
    public const string Sex = "sex";
    public const string Hometown = "hometown";
    public const string Ethnicity = "ethnicity";
    public const string Religion = "religion";
    public const string Nationality = "nationality";
    public const string PermanentAddress = "permanentAddress";
    public const string PermanentResidence = "permanentResidence";
    public const string TemporaryResidence = "temporaryResidence";
    public const string TemporaryAbsence = "temporaryAbsence";
    public const string PermanentResidenceDeletionFlag = "permanentResidenceDeletionFlag";
    public const string Mother = "mother";
    public const string Father = "father";
    public const string Spouse = "spouse";
    public const string Guardian = "guardian";
    public const string DeathDate = "deathDate";
    public const string DeathPlace = "deathPlace";
    public const string Death = "death";
    public const string PersonalIdNumber = "personalIdNumber";
    public const string Record = "record";

    /// <summary>The history's field of a step of one of the person's identity cards; its new value is the document number.</summary>
    public const string IdentityCard = "identityCard";
#pragma warning restore CS1591

    /// <summary>Separates other names in their text form.</summary>
    public const char OtherNamesSeparator = ';';

    /// <summary>Fields an amendment may set.</summary>
    public static readonly IReadOnlySet<string> Amendable = new HashSet<string>(StringComparer.Ordinal)
    {
        FullName, OtherNames, BirthDate, Sex, Hometown, Ethnicity, Religion, Nationality, PermanentAddress,
        Mother, Father, Spouse, Guardian, DeathDate, DeathPlace,
    };

    /// <summary>Fields only a central administrator may correct: they are encoded in the personal ID number.</summary>
    public static readonly IReadOnlySet<string> CentralOnly = new HashSet<string>(StringComparer.Ordinal) { BirthDate, Sex };

    /// <summary>
    /// Fields describing a living person's circumstances rather than recorded facts: after death they are closed,
    /// while facts (names, birth, origin, parents, the death itself) can still be corrected.
    /// </summary>
    public static readonly IReadOnlySet<string> ClosedAtDeath = new HashSet<string>(StringComparer.Ordinal)
    {
        PermanentAddress, Spouse, Guardian, Nationality,
    };

    /// <summary>The fields that describe the death, settable only once a death is recorded.</summary>
    public static readonly IReadOnlySet<string> OfDeath = new HashSet<string>(StringComparer.Ordinal) { DeathDate, DeathPlace };

    /// <summary>The value of <paramref name="field"/> in <paramref name="record"/>, in text form; null when unset.</summary>
    public static string? Read(ResidentRecord record, string field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return field switch
        {
            FullName => record.FullName,
            OtherNames => record.OtherNames.Count == 0 ? null : string.Join(OtherNamesSeparator + " ", record.OtherNames),
            BirthDate => Text(record.BirthDate),
            Sex => Text(record.Sex),
            Hometown => record.Hometown,
            Ethnicity => record.Ethnicity,
            Religion => record.Religion,
            Nationality => Text(record.Nationality),
            PermanentAddress => record.PermanentAddress,
            Mother => record.Family.Mother?.Value,
            Father => record.Family.Father?.Value,
            Spouse => record.Family.Spouse?.Value,
            Guardian => record.Family.Guardian?.Value,
            DeathDate => record.Death is { } death ? Text(death.Date) : null,
            DeathPlace => record.Death?.Place,
            Death => record.Death is { } death ? $"{Text(death.Date)}, {death.Place}" : null,
            PersonalIdNumber => record.PersonalIdNumber.Value,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field of the record."),
        };
    }

    /// <summary>A date in text form, yyyy-MM-dd.</summary>
    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A sex in text form.</summary>
    public static string Text(Contracts.Residents.Sex sex) => sex == Contracts.Residents.Sex.Female ? "female" : "male";

    /// <summary>A nationality status in text form, as the API writes it.</summary>
    public static string Text(NationalityStatus nationality) => nationality switch
    {
        NationalityStatus.Vietnamese => "vietnamese",
        NationalityStatus.UndeterminedVietnameseOrigin => "undeterminedVietnameseOrigin",
        NationalityStatus.ForeignLongTermResident => "foreignLongTermResident",
        _ => throw new ArgumentOutOfRangeException(nameof(nationality), nationality, "Unknown nationality status."),
    };

    /// <summary>Parses a date in text form.</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Parses a sex in text form.</summary>
    public static Contracts.Residents.Sex? ParseSex(string? text) => text switch
    {
        "male" => Contracts.Residents.Sex.Male,
        "female" => Contracts.Residents.Sex.Female,
        _ => null,
    };

    /// <summary>Parses a nationality status in text form.</summary>
    public static NationalityStatus? ParseNationality(string? text) => text switch
    {
        "vietnamese" => NationalityStatus.Vietnamese,
        "undeterminedVietnameseOrigin" => NationalityStatus.UndeterminedVietnameseOrigin,
        "foreignLongTermResident" => NationalityStatus.ForeignLongTermResident,
        _ => null,
    };

    /// <summary>Whether <paramref name="field"/> is a link to another person.</summary>
    public static bool IsLink(string field) => field is Mother or Father or Spouse or Guardian;

    /// <summary>The record with the link <paramref name="field"/> set to <paramref name="number"/>.</summary>
    public static FamilyLinks WithLink(FamilyLinks family, string field, PersonalIdNumber? number)
    {
        ArgumentNullException.ThrowIfNull(family);
        return field switch
        {
            Mother => family with { Mother = number },
            Father => family with { Father = number },
            Spouse => family with { Spouse = number },
            Guardian => family with { Guardian = number },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a link."),
        };
    }
}
