using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Api.Residents;

/// <summary>Body of <c>POST /residents</c>. The first four fields are required; the rest are optional.</summary>
/// <param name="FullName">Full name in Vietnamese with diacritics, at most 200 characters, e.g. "Nguyễn Thị Ánh".</param>
/// <param name="BirthDate">Date of birth (yyyy-MM-dd), from 1900-01-01 to today.</param>
/// <param name="Sex">"male" or "female".</param>
/// <param name="BirthRegistrationProvince">3-digit code of the province where the birth is registered, e.g. "001" for Hà Nội.</param>
/// <param name="OtherNames">Other names the person is known by, at most 5.</param>
/// <param name="Hometown">Hometown (quê quán) as written on documents.</param>
/// <param name="Ethnicity">Ethnic group, e.g. "Kinh".</param>
/// <param name="Religion">Religion, e.g. "Không".</param>
/// <param name="Nationality">"vietnamese" (default), "undeterminedVietnameseOrigin" (needs identityCertificate) or "foreignLongTermResident".</param>
/// <param name="IdentityCertificate">For undetermined nationality: the identity certificate (Law 26/2023 Art. 30).</param>
/// <param name="Mother">Mother's 12-digit personal ID number; she must be in the registry.</param>
/// <param name="Father">Father's personal ID number.</param>
/// <param name="Spouse">Spouse's personal ID number.</param>
/// <param name="Guardian">Guardian's personal ID number.</param>
/// <param name="PermanentAddress">Street address of the permanent residence.</param>
/// <param name="IssuedNumber">A number issued before this registry, kept instead of allocating one; it must agree with province, sex and birth year.</param>
/// <param name="ConfirmedNotDuplicate">True after checking the duplicate candidates a previous attempt returned: this is another person.</param>
public sealed record RegisterResidentRequest(
    string? FullName,
    DateOnly? BirthDate,
    string? Sex,
    string? BirthRegistrationProvince,
    IReadOnlyList<string>? OtherNames = null,
    string? Hometown = null,
    string? Ethnicity = null,
    string? Religion = null,
    string? Nationality = null,
    IdentityCertificateBody? IdentityCertificate = null,
    string? Mother = null,
    string? Father = null,
    string? Spouse = null,
    string? Guardian = null,
    string? PermanentAddress = null,
    string? IssuedNumber = null,
    bool ConfirmedNotDuplicate = false)
{
    /// <summary>
    /// The normalised command, or every field that is missing or refused by <see cref="RegistrationRules"/>,
    /// all at once so that a caller can fix the request in one go.
    /// </summary>
    public (RegisterResident? Command, FieldError[] Errors) ToCommand(string? idempotencyKey, Actor actor, DateOnly today)
    {
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("fullName", FullName is null ? "Full name is required." : null);
        errors.Add("birthDate", BirthDate is null ? "Birth date is required (yyyy-MM-dd)." : null);
        var sex = ResidentFields.ParseSex(Sex);
        errors.Add("sex", sex is not null ? null : Sex is null ? "Sex is required: male or female." : $"Sex must be male or female, not '{Sex}'.");
        errors.Add("birthRegistrationProvince", BirthRegistrationProvince is null ? "The province where the birth is registered is required (3-digit code)." : null);
        var nationality = Nationality is null ? NationalityStatus.Vietnamese : ResidentFields.ParseNationality(Nationality);
        errors.Add("nationality", nationality is null ? $"Nationality must be vietnamese, undeterminedVietnameseOrigin or foreignLongTermResident, not '{Nationality}'." : null);
        var certificate = IdentityCertificate?.ToCertificate(errors);
        var family = new FamilyLinks(Link("mother", Mother, errors), Link("father", Father, errors), Link("spouse", Spouse, errors), Link("guardian", Guardian, errors));
        var issued = Link("issuedNumber", IssuedNumber, errors);
        if (errors.Any)
        {
            return (null, errors.ToArray());
        }

        var command = new RegisterResident(idempotencyKey!, FullName!, BirthDate!.Value, sex!.Value, BirthRegistrationProvince!)
        {
            Actor = actor,
            OtherNames = OtherNames ?? [],
            Hometown = Hometown,
            Ethnicity = Ethnicity,
            Religion = Religion,
            Nationality = nationality!.Value,
            IdentityCertificate = certificate,
            Family = family,
            PermanentAddress = PermanentAddress,
            IssuedNumber = issued,
            ConfirmedNotDuplicate = ConfirmedNotDuplicate,
        };
        return RegistrationRules.Check(command, today);
    }

    private static PersonalIdNumber? Link(string field, string? value, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (PersonalIdNumber.TryParse(value, out var number, out var error))
        {
            return number;
        }

        errors.Add(field, error);
        return null;
    }
}

/// <summary>An identity certificate (Law on Identification 26/2023 Art. 30) in a request.</summary>
/// <param name="IssuedOn">Date of issue (yyyy-MM-dd).</param>
/// <param name="Commune">The commune or ward where the person has lived.</param>
/// <param name="LivingInCommuneSince">Since when, without interruption; at least 6 months before issue.</param>
public sealed record IdentityCertificateBody(DateOnly? IssuedOn, string? Commune, DateOnly? LivingInCommuneSince)
{
    /// <summary>The certificate, or null with the missing parts added to <paramref name="errors"/>.</summary>
    public IdentityCertificate? ToCertificate(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var missing = new[] { (IssuedOn is null, "issuedOn"), (Commune is null, "commune"), (LivingInCommuneSince is null, "livingInCommuneSince") }
            .Where(part => part.Item1).Select(part => part.Item2).ToArray();
        if (missing.Length > 0)
        {
            errors.Add("identityCertificate", $"The certificate needs {string.Join(", ", missing)}.");
            return null;
        }

        return new IdentityCertificate(IssuedOn!.Value, Commune!, LivingInCommuneSince!.Value);
    }
}
