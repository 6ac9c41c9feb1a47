using Registry.Contracts;
using Registry.Domain.Residents;

namespace Registry.Domain.Batches;

/// <summary>
/// The fields of a batch row, by the names the API uses: NDJSON property names and CSV column names alike (the
/// identity certificate's parts, nested in NDJSON, are dotted columns in CSV).
/// </summary>
public static class BatchColumns
{
#pragma warning disable CS1591 // The names are the documentation.
    public const string Kind = "kind";
    public const string BirthRegistrationProvince = "birthRegistrationProvince";
    public const string IdentityCertificate = "identityCertificate";
    public const string CertificateIssuedOn = "identityCertificate.issuedOn";
    public const string CertificateCommune = "identityCertificate.commune";
    public const string CertificateLivingSince = "identityCertificate.livingInCommuneSince";
    public const string IssuedNumber = "issuedNumber";
    public const string ConfirmedNotDuplicate = "confirmedNotDuplicate";
    public const string Field = "field";
    public const string Value = "value";
    public const string Reason = "reason";
    public const string DocumentReference = "documentReference";
#pragma warning restore CS1591

    /// <summary>The kind of a registration row.</summary>
    public const string RegistrationKind = "registration";

    /// <summary>The kind of an amendment row.</summary>
    public const string AmendmentKind = "amendment";

    /// <summary>Fields a registration row may have, besides <see cref="Kind"/>.</summary>
    public static readonly IReadOnlyList<string> Registration =
    [
        ResidentFields.FullName, ResidentFields.BirthDate, ResidentFields.Sex, BirthRegistrationProvince, ResidentFields.OtherNames,
        ResidentFields.Hometown, ResidentFields.Ethnicity, ResidentFields.Religion, ResidentFields.Nationality,
        CertificateIssuedOn, CertificateCommune, CertificateLivingSince, ResidentFields.PermanentAddress,
        ResidentFields.Mother, ResidentFields.Father, ResidentFields.Spouse, ResidentFields.Guardian, IssuedNumber, ConfirmedNotDuplicate,
    ];

    /// <summary>Fields an amendment row may have, besides <see cref="Kind"/>.</summary>
    public static readonly IReadOnlyList<string> Amendment = [ResidentFields.PersonalIdNumber, Field, Value, Reason, DocumentReference];

    /// <summary>Fields a registration row must have.</summary>
    public static readonly IReadOnlyList<string> RequiredForRegistration =
        [ResidentFields.FullName, ResidentFields.BirthDate, ResidentFields.Sex, BirthRegistrationProvince];

    /// <summary>
    /// Columns a CSV header must have for amendments. The value column is required although a value may be empty
    /// (which clears the field): without the column every amendment would clear its field.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredForAmendment = Amendment;

    /// <summary>Every column a CSV header may name.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>([Kind, .. Registration, .. Amendment], StringComparer.Ordinal);

    /// <summary>
    /// Why a CSV header naming <paramref name="columns"/> cannot be read, one error per column concerned; empty when
    /// it can. The header names <see cref="Kind"/> and every required column of registrations, of amendments or of
    /// both; unknown or repeated names are refused, because a misspelt optional column would otherwise be ignored in
    /// every row of the file.
    /// </summary>
    public static FieldError[] CheckHeader(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var errors = new FieldErrors();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!All.Contains(column))
            {
                errors.Add(column.Length == 0 ? "header" : column, column.Length == 0
                    ? "The CSV header has an empty column name."
                    : $"The CSV header names '{column}', which is not a column of batch rows.");
            }
            else if (!seen.Add(column))
            {
                errors.Add(column, $"The CSV header names '{column}' more than once.");
            }
        }

        if (!seen.Contains(Kind))
        {
            errors.Add(Kind, $"The CSV header has no column '{Kind}' (registration or amendment in each row).");
        }

        var missingForRegistration = RequiredForRegistration.Where(column => !seen.Contains(column)).ToArray();
        var missingForAmendment = RequiredForAmendment.Where(column => !seen.Contains(column)).ToArray();
        if (missingForRegistration.Length > 0 && missingForAmendment.Length > 0)
        {
            // Name the columns of the kind the header is closer to: a registration file missing "sex" should not be
            // told about every amendment column as well.
            var registrationsMeant = RequiredForRegistration.Count - missingForRegistration.Length >= RequiredForAmendment.Count - missingForAmendment.Length;
            foreach (var column in registrationsMeant ? missingForRegistration : missingForAmendment)
            {
                errors.Add(column, $"The CSV header has no column '{column}', which {(registrationsMeant ? "registrations" : "amendments")} require.");
            }
        }

        return errors.ToArray();
    }
}
