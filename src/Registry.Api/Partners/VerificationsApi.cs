using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Database.Partners;
using Registry.Domain.Access;
using Registry.Domain.Residents;

namespace Registry.Api.Partners;

/// <summary>
/// <c>POST /verifications</c>: "do these details belong to this personal ID number", answered match, noMatch or locked
/// and nothing else (design: a yes/no verification returns no data); never which detail differed, never whether the
/// number is held by anybody.
/// </summary>
public static class VerificationsApi
{
    /// <summary>Maps the verification endpoint.</summary>
    public static IEndpointRouteBuilder MapVerificationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/verifications").WithTags("Access").RequireClusterConnection()
            .MapPost("", VerifyAsync)
            .RequirePartner()
            .AuditsPersonalData()
            .WithName("Verify")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Verify declared details against a personal ID number (ministry partners): match, noMatch or locked")
            .WithDescription($"State the purpose in {PurposeHeaders.Code} and {PurposeHeaders.Note}; it must be one of the partner's policy, which must " +
                             "allow verifications. fullName, birthDate and sex are compared always; birthRegistrationProvince, hometown, ethnicity, nationality and " +
                             "permanentResidenceProvince when given, each only if the policy names it as a field (403 naming it otherwise). A name written " +
                             "without diacritics matches the recorded one folded (\"Nguyen Thi Anh\" matches \"Nguyễn Thị Ánh\"); a name written with them is " +
                             "compared with them. An unknown number answers noMatch; a record its person locked answers locked.");
        return endpoints;
    }

    private static async Task<Results<Ok<VerificationResponse>, RefusalProblem>> VerifyAsync(
        VerificationRequest request, ClaimsPrincipal user, HttpContext context, PartnerPolicyStore policies, IClusterClient cluster, CancellationToken cancellationToken)
    {
        var (policy, refused) = await PartnerGate.AdmitAsync(context, user.ToActor(), policies, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var (number, declared, errors) = request.ToDetails();
        if (declared is null)
        {
            return PartnerGate.Refuse(context, Refusal.Invalid(errors));
        }

        var compared = Verifications.Core.Concat(declared.Others.Keys).ToArray();
        context.Audit().Touch(number.Value, compared);
        if (PartnerPolicies.AdmitVerification(policy!, compared) is { } outside)
        {
            return PartnerGate.Refuse(context, outside);
        }

        var view = await cluster.Citizen(number).GetForPartnerAsync();
        if (view.Locked)
        {
            context.Audit().Refusal = "The person has locked their record against partners.";
            return TypedResults.Ok(new VerificationResponse(VerificationResult.Locked));
        }

        return TypedResults.Ok(new VerificationResponse(Verifications.Compare(declared, view.Resident)));
    }
}

/// <summary>Body of <c>POST /verifications</c>: the number and the details to check; the first four are required.</summary>
/// <param name="PersonalIdNumber">The 12-digit number the details are claimed for.</param>
/// <param name="FullName">The name as the partner holds it, with or without diacritics.</param>
/// <param name="BirthDate">Date of birth (yyyy-MM-dd).</param>
/// <param name="Sex">"male" or "female".</param>
/// <param name="BirthRegistrationProvince">3-digit code of the province where the birth was registered.</param>
/// <param name="Hometown">Hometown as written on documents.</param>
/// <param name="Ethnicity">Ethnic group.</param>
/// <param name="Nationality">"vietnamese", "undeterminedVietnameseOrigin" or "foreignLongTermResident".</param>
/// <param name="PermanentResidenceProvince">3-digit code of the province of permanent residence.</param>
public sealed record VerificationRequest(
    string? PersonalIdNumber,
    string? FullName,
    DateOnly? BirthDate,
    string? Sex,
    string? BirthRegistrationProvince = null,
    string? Hometown = null,
    string? Ethnicity = null,
    string? Nationality = null,
    string? PermanentResidenceProvince = null)
{
    /// <summary>The number and the declared details, or every field that is missing or malformed.</summary>
    public (PersonalIdNumber Number, DeclaredDetails? Declared, FieldError[] Errors) ToDetails()
    {
        var errors = new FieldErrors();
        var number = default(PersonalIdNumber);
        errors.Add("personalIdNumber", PersonalIdNumber is null ? "The personal ID number is required (12 digits)."
            : Contracts.Identity.PersonalIdNumber.TryParse(PersonalIdNumber, out number, out var error) ? null : error);
        errors.Add("fullName", string.IsNullOrWhiteSpace(FullName) ? "The full name is required." : null);
        errors.Add("birthDate", BirthDate is null ? "The birth date is required (yyyy-MM-dd)." : null);
        var sex = ResidentFields.ParseSex(Sex);
        errors.Add("sex", sex is null ? "The sex is required: male or female." : null);
        errors.Add("nationality", Nationality is not null && ResidentFields.ParseNationality(Nationality) is null
            ? "The nationality is vietnamese, undeterminedVietnameseOrigin or foreignLongTermResident." : null);
        if (errors.Any)
        {
            return (number, null, errors.ToArray());
        }

        var others = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [PartnerFields.BirthRegistrationProvince] = BirthRegistrationProvince,
            [ResidentFields.Hometown] = Hometown,
            [ResidentFields.Ethnicity] = Ethnicity,
            [ResidentFields.Nationality] = Nationality,
            [PartnerFields.PermanentResidenceProvince] = PermanentResidenceProvince,
        };
        return (number, new DeclaredDetails(FullName!, BirthDate!.Value, sex!.Value,
            others.Where(other => other.Value is not null).ToDictionary(other => other.Key, other => other.Value!, StringComparer.Ordinal)), []);
    }
}

/// <summary>The answer of a verification, and nothing else.</summary>
/// <param name="Result">match, noMatch or locked.</param>
public sealed record VerificationResponse(VerificationResult Result);
