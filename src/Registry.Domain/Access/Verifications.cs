using System.Globalization;
using System.Text;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Access;

/// <summary>The only answers a verification gives (design: a yes/no verification returns no data).</summary>
public enum VerificationResult
{
    /// <summary>Every declared detail is the record's.</summary>
    Match,

    /// <summary>Some detail is not the record's, or nobody holds the number: which one is never said.</summary>
    NoMatch,

    /// <summary>The person has locked their record against partners.</summary>
    Locked,
}

/// <summary>
/// What a partner declares about the holder of a number (Decree 69/2024: level 1 checks declared data against the
/// registry): the core (name, birth date, sex) always, other details when the partner has them.
/// </summary>
/// <param name="FullName">The name as the partner holds it, with or without diacritics.</param>
/// <param name="BirthDate">The birth date.</param>
/// <param name="Sex">The sex.</param>
/// <param name="Others">Further details by field name (<see cref="Verifications.Optional"/>), in their text form.</param>
public sealed record DeclaredDetails(string FullName, DateOnly BirthDate, Sex Sex, IReadOnlyDictionary<string, string> Others);

/// <summary>The comparison behind <c>POST /verifications</c>. Pure: the API reads the record and the lock, this decides.</summary>
public static class Verifications
{
    /// <summary>The details every verification compares.</summary>
    public static IReadOnlyList<string> Core { get; } = [ResidentFields.FullName, ResidentFields.BirthDate, ResidentFields.Sex];

    /// <summary>
    /// Details a verification may compare beyond the core. Each answers one yes/no question about the record, which
    /// repeated guesses turn into the value, so each must also be among the fields of the partner's policy.
    /// </summary>
    public static IReadOnlyList<string> Optional { get; } =
    [
        PartnerFields.BirthRegistrationProvince, ResidentFields.Hometown, ResidentFields.Ethnicity, ResidentFields.Nationality, PartnerFields.PermanentResidenceProvince,
    ];

    /// <summary>
    /// Whether <paramref name="declared"/> belongs to <paramref name="record"/>; no record (an unknown number) is a
    /// <see cref="VerificationResult.NoMatch"/> like any other, so that a partner cannot learn who is registered.
    /// </summary>
    public static VerificationResult Compare(DeclaredDetails declared, ResidentRecord? record)
    {
        ArgumentNullException.ThrowIfNull(declared);
        if (record is null)
        {
            return VerificationResult.NoMatch;
        }

        var matches = NamesMatch(declared.FullName, record.FullName)
                      && declared.BirthDate == record.BirthDate
                      && declared.Sex == record.Sex
                      && declared.Others.All(other => DetailMatches(other.Key, other.Value, record));
        return matches ? VerificationResult.Match : VerificationResult.NoMatch;
    }

    /// <summary>
    /// Whether a declared name is the recorded one. Case and spacing never matter. Diacritics matter only when the
    /// partner wrote some: many partners' systems (older bank cores, SIM registrations) hold names in ASCII only, so
    /// "Nguyen Thi Anh" matches "Nguyễn Thị Ánh" through the registry's name folding (<see cref="NameFolding"/>); but a
    /// name written with marks is compared with them, because in Vietnamese a tone mark makes another name ("Lê" and
    /// "Lệ" are different people), and a partner who states one is stating which.
    /// </summary>
    public static bool NamesMatch(string declared, string recorded)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(recorded);
        var folded = NameFolding.Fold(declared);
        if (folded != NameFolding.Fold(recorded))
        {
            return false;
        }

        var written = Tidy(declared);
        return written == folded || written == Tidy(recorded);
    }

    // NFC, lower case, runs of white space as one space: the name as written, marks kept.
    private static string Tidy(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormC).ToLower(CultureInfo.InvariantCulture)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool DetailMatches(string field, string declared, ResidentRecord record) => field switch
    {
        ResidentFields.Hometown or ResidentFields.Ethnicity => ResidentFields.Read(record, field) is { } recorded && NamesMatch(declared, recorded),
        ResidentFields.Nationality => ResidentFields.Read(record, field) == declared,
        PartnerFields.BirthRegistrationProvince => record.BirthRegistrationProvince == declared,
        PartnerFields.PermanentResidenceProvince => record.PermanentResidenceProvince == declared,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a detail a verification compares."),
    };
}
