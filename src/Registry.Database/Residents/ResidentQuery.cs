using System.Globalization;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Database.Residents;

/// <summary>
/// A search for people: by the start of their name (without accents, any case), birth year and province of
/// permanent residence, one page at a time, ordered by folded name then personal ID number. Numbers replaced by
/// a corrected one are left out.
/// </summary>
/// <param name="Name">The start of the full name, e.g. "nguyen thi a" for "Nguyễn Thị Ánh"; folded like <see cref="NameFolding.Fold"/>.</param>
/// <param name="BirthYear">Only people born in this year.</param>
/// <param name="Province">Only people whose permanent residence is in this province (3-digit code).</param>
/// <param name="Limit">Page size, 1 to <see cref="MaxLimit"/>.</param>
/// <param name="After">The <see cref="ResidentSearchPage.Next"/> of the previous page; null for the first page.</param>
public sealed record ResidentQuery(string? Name, int? BirthYear, string? Province, int Limit = ResidentQuery.DefaultLimit, string? After = null)
{
    /// <summary>Page size when the caller gives none.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>
    /// Shortest folded name searched without a province: a single letter matches a tenth of the country and says
    /// nothing about whom the caller looks for.
    /// </summary>
    public const int MinNameLength = 2;

    /// <summary>Longest name accepted, as for registration.</summary>
    public const int MaxNameLength = RegistrationRules.MaxNameLength;

    /// <summary>The folded name, or null when no name was given (or only spaces and marks).</summary>
    public string? NameKey => Name is null || !IsWellFormed(Name) ? null : NameFolding.Fold(Name) is { Length: > 0 } key ? key : null;

    /// <summary>
    /// Why this query cannot run, one entry per refused field with the API's field names (name, birthYear,
    /// province, limit, after); empty when it can. Pure.
    /// </summary>
    public FieldError[] Validate()
    {
        var errors = new List<FieldError>();
        if (Name is not null && !IsWellFormed(Name))
        {
            errors.Add(new FieldError("name", "The name contains control characters or damaged Unicode text."));
        }
        else if (Name is { Length: > MaxNameLength })
        {
            errors.Add(new FieldError("name", $"The name has at most {MaxNameLength} characters; this has {Name.Length}."));
        }
        else if (Province is null && (NameKey?.Length ?? 0) < MinNameLength)
        {
            errors.Add(new FieldError("name", NameKey is null
                ? $"Give the start of a name (at least {MinNameLength} letters), a province, or both."
                : $"A name needs at least {MinNameLength} letters, not counting accents and spaces, unless a province is given."));
        }

        if (BirthYear is { } year && (year < SexCenturyDigit.FirstYear || year > SexCenturyDigit.LastYear))
        {
            errors.Add(new FieldError("birthYear", string.Create(CultureInfo.InvariantCulture,
                $"A birth year is between {SexCenturyDigit.FirstYear} and {SexCenturyDigit.LastYear}; got {year}.")));
        }

        if (Province is not null && !ProvinceCatalog.IsKnown(Province))
        {
            errors.Add(new FieldError("province", $"'{Province}' is not one of the 63 province codes (3 digits, e.g. 001)."));
        }

        if (Limit is < 1 or > MaxLimit)
        {
            errors.Add(new FieldError("limit", string.Create(CultureInfo.InvariantCulture,
                $"The page size is between 1 and {MaxLimit}; got {Limit}.")));
        }

        if (After is not null && !SearchCursor.TryDecode(After, out _))
        {
            errors.Add(new FieldError("after", "Not a cursor returned by this search; start again without 'after'."));
        }

        return [.. errors];
    }

    // Control characters have no place in a name, lone surrogates cannot be folded (or sent to PostgreSQL), and
    // U+FFFD is what a wrong decoding upstream leaves behind: refused as registration refuses it.
    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done
                || rune == Rune.ReplacementChar
                || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control)
            {
                return false;
            }

            i += consumed;
        }

        return true;
    }
}

/// <summary>One page of a search.</summary>
/// <param name="Residents">At most the query's limit, in order of folded name, then number.</param>
/// <param name="Next">Pass as <see cref="ResidentQuery.After"/> for the next page; null when this is the last.</param>
public sealed record ResidentSearchPage(IReadOnlyList<ResidentSummary> Residents, string? Next);

/// <summary>A person as a search lists them.</summary>
/// <param name="PersonalIdNumber">The 12-digit number.</param>
/// <param name="FullName">Full name, NFC.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Sex.</param>
/// <param name="BirthRegistrationProvince">Code of the province where the birth was registered.</param>
/// <param name="PermanentResidenceProvince">Code of the province of permanent residence.</param>
/// <param name="Alive">False once a death is recorded.</param>
public sealed record ResidentSummary(
    PersonalIdNumber PersonalIdNumber,
    string FullName,
    DateOnly BirthDate,
    Sex Sex,
    string BirthRegistrationProvince,
    string PermanentResidenceProvince,
    bool Alive);
