using System.Security.Claims;
using System.Text.Json.Serialization;
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
/// <c>POST /ekyc</c>: a partner identifying a customer receives exactly the fields it asks for, each of which its
/// policy must give; a record its person locked answers locked and nothing else.
/// </summary>
public static class EkycApi
{
    /// <summary>Maps the eKYC endpoint.</summary>
    public static IEndpointRouteBuilder MapEkycApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/ekyc").WithTags("Access").RequireClusterConnection()
            .MapPost("", ReadAsync)
            .RequirePartner()
            .AuditsPersonalData()
            .WithName("ReadForEkyc")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read the fields a partner's policy gives about a person (ministry partners)")
            .WithDescription($"State the purpose in {PurposeHeaders.Code} and {PurposeHeaders.Note}; it must be one of the partner's policy. fields names " +
                             $"what to return, from {string.Join(", ", PartnerFields.All)}; a field the policy does not give is refused with 403 naming it. " +
                             "The answer is result found with exactly the fields asked, or result locked alone when the person locked their record.");
        return endpoints;
    }

    private static async Task<Results<Ok<EkycResponse>, RefusalProblem>> ReadAsync(
        EkycRequest request, ClaimsPrincipal user, HttpContext context, PartnerPolicyStore policies, IClusterClient cluster, CancellationToken cancellationToken)
    {
        var (policy, refused) = await PartnerGate.AdmitAsync(context, user.ToActor(), policies, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var (number, fields, errors) = request.ToQuery();
        if (fields is null)
        {
            return PartnerGate.Refuse(context, Refusal.Invalid(errors));
        }

        context.Audit().Touch(number.Value, fields);
        if (PartnerPolicies.AdmitEkyc(policy!, fields) is { } outside)
        {
            return PartnerGate.Refuse(context, outside);
        }

        var view = await cluster.Citizen(number).GetForPartnerAsync();
        if (view.Locked)
        {
            context.Audit().Refusal = "The person has locked their record against partners.";
            return TypedResults.Ok(new EkycResponse(EkycResult.Locked, null));
        }

        if (view.Resident is not { } resident)
        {
            return PartnerGate.Refuse(context, new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
                [new FieldError("personalIdNumber", $"{number} is not in the registry.")]));
        }

        return TypedResults.Ok(new EkycResponse(EkycResult.Found, PartnerFields.Disclose(resident, fields)));
    }
}

/// <summary>Body of <c>POST /ekyc</c>.</summary>
/// <param name="PersonalIdNumber">The 12-digit number of the person.</param>
/// <param name="Fields">The fields to return, at least one, e.g. ["fullName", "birthDate"].</param>
public sealed record EkycRequest(string? PersonalIdNumber, IReadOnlyList<string?>? Fields)
{
    /// <summary>The number and the fields asked, each once, or every field of the request that is missing or unknown.</summary>
    public (PersonalIdNumber Number, string[]? Fields, FieldError[] Errors) ToQuery()
    {
        var errors = new FieldErrors();
        var number = default(PersonalIdNumber);
        errors.Add("personalIdNumber", PersonalIdNumber is null ? "The personal ID number is required (12 digits)."
            : Contracts.Identity.PersonalIdNumber.TryParse(PersonalIdNumber, out number, out var error) ? null : error);
        errors.Add("fields", Fields is null or { Count: 0 } ? "Name at least one field to return." : null);
        for (var i = 0; i < (Fields?.Count ?? 0); i++)
        {
            errors.Add($"fields[{i}]", Fields![i] is { } field && PartnerFields.All.Contains(field, StringComparer.Ordinal)
                ? null
                : $"Not a field eKYC returns: one of {string.Join(", ", PartnerFields.All)}.");
        }

        return errors.Any ? (number, null, errors.ToArray()) : (number, [.. Fields!.OfType<string>().Distinct(StringComparer.Ordinal)], []);
    }
}

/// <summary>What eKYC found.</summary>
public enum EkycResult
{
    /// <summary>The person's fields follow.</summary>
    Found,

    /// <summary>The person locked their record against partners: nothing follows.</summary>
    Locked,
}

/// <summary>The answer of eKYC.</summary>
/// <param name="Result">found or locked.</param>
/// <param name="Fields">With found, exactly the fields asked, by name; absent with locked.</param>
public sealed record EkycResponse(
    EkycResult Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Fields);
