using Registry.Contracts.Residents;

namespace Registry.Api.Residents;

/// <summary>Body of <c>POST /residents</c>. Every field is required.</summary>
/// <param name="FullName">Full name in Vietnamese with diacritics, at most 200 characters, e.g. "Nguyễn Thị Ánh".</param>
/// <param name="BirthDate">Date of birth (yyyy-MM-dd), from 1900-01-01 to today.</param>
/// <param name="Sex">"male" or "female".</param>
/// <param name="BirthRegistrationProvince">3-digit code of the province where the birth is registered, e.g. "001" for Hà Nội.</param>
public sealed record RegisterResidentRequest(
    string? FullName,
    DateOnly? BirthDate,
    string? Sex,
    string? BirthRegistrationProvince)
{
    /// <summary>
    /// The normalised command, or every field that is missing or refused by <see cref="RegistrationRules"/>,
    /// all at once so that a caller can fix the request in one go.
    /// </summary>
    public (RegisterResident? Command, FieldError[] Errors) ToCommand(string? idempotencyKey, DateOnly today)
    {
        var errors = new List<FieldError>();
        void Refuse(string field, string? error)
        {
            if (error is not null)
            {
                errors.Add(new FieldError(field, error));
            }
        }

        Refuse("Idempotency-Key", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        var (name, nameError) = RegistrationRules.NormaliseName(FullName);
        Refuse("fullName", nameError);
        Refuse("birthDate", BirthDate is { } date ? RegistrationRules.CheckBirthDate(date, today) : "Birth date is required (yyyy-MM-dd).");
        Sex? sex = Sex switch
        {
            "male" => Contracts.Residents.Sex.Male,
            "female" => Contracts.Residents.Sex.Female,
            _ => null,
        };
        Refuse("sex", sex is not null ? null : Sex is null ? "Sex is required: male or female." : $"Sex must be male or female, not '{Sex}'.");
        Refuse("birthRegistrationProvince", BirthRegistrationProvince is null
            ? "The province where the birth is registered is required (3-digit code)."
            : RegistrationRules.CheckBirthRegistrationProvince(BirthRegistrationProvince));

        return errors.Count > 0
            ? (null, errors.ToArray())
            : (new RegisterResident(idempotencyKey!, name!, BirthDate!.Value, sex!.Value, BirthRegistrationProvince!), []);
    }
}

/// <summary>A person as the API returns them.</summary>
public sealed record ResidentResponse(
    string PersonalIdNumber,
    string FullName,
    DateOnly BirthDate,
    string Sex,
    string BirthRegistrationProvince,
    string PermanentResidenceProvince,
    DateTimeOffset RegisteredAt)
{
    /// <summary>The response for <paramref name="resident"/>.</summary>
    public static ResidentResponse From(ResidentRecord resident)
    {
        ArgumentNullException.ThrowIfNull(resident);
        return new(
            resident.PersonalIdNumber.Value,
            resident.FullName,
            resident.BirthDate,
            resident.Sex == Contracts.Residents.Sex.Female ? "female" : "male",
            resident.BirthRegistrationProvince,
            resident.PermanentResidenceProvince,
            resident.RegisteredAt);
    }
}
