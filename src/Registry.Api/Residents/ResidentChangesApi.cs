using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Api.Residents;

/// <summary>Changes to a person: amendments (corrections with reason and document) and death.</summary>
public static class ResidentChangesApi
{
    /// <summary>Maps the change endpoints under the <c>/residents</c> group.</summary>
    public static RouteGroupBuilder MapResidentChanges(this RouteGroupBuilder residents)
    {
        ArgumentNullException.ThrowIfNull(residents);
        residents.MapPost("/{personalIdNumber}/amendments", AmendAsync)
            .WithName("AmendResident")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Correct fields of a person's record, with a reason and the supporting document")
            .WithDescription("changes maps field names to new values in text form (null clears an optional field): fullName, otherNames " +
                             "(separated by ';'), birthDate (yyyy-MM-dd), sex, hometown, ethnicity, religion, nationality, permanentAddress, mother, father, " +
                             "spouse, guardian (12-digit numbers), deathDate, deathPlace. Only a central administrator corrects birthDate or sex; when the " +
                             "correction contradicts the number, a new number is issued and returned, and the old one keeps resolving to the person. " +
                             "After death, permanentAddress, spouse, guardian and nationality are closed (409). Every change is kept in the history. " +
                             "The Idempotency-Key identifies the amendment: repeating it has the effect of one.");

        residents.MapPost("/{personalIdNumber}/death", RecordDeathAsync)
            .WithName("RecordDeath")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Record a person's death")
            .WithDescription("Closes the record for everything except corrections and takes the person out of their province's resident count. " +
                             "The Idempotency-Key identifies the operation: repeating it has the effect of one.");
        return residents;
    }

    private static async Task<Results<Ok<ResidentResponse>, ValidationProblem, ProblemHttpResult>> AmendAsync(
        string personalIdNumber,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        AmendResidentRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpResponse response)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("Idempotency-Key", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("changes", request.Changes is null or { Count: 0 } ? "An amendment changes at least one field." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var command = new AmendResident(idempotencyKey!, user.ToActor(), request.Reason!, request.DocumentReference!,
            [.. request.Changes!.Select(change => new FieldChange(change.Key, change.Value))]);
        return Answer(await cluster.Citizen(number!.Value).AmendAsync(command), response);
    }

    private static async Task<Results<Ok<ResidentResponse>, ValidationProblem, ProblemHttpResult>> RecordDeathAsync(
        string personalIdNumber,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        RecordDeathRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpResponse response)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("Idempotency-Key", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("date", request.Date is null ? "The date of death is required (yyyy-MM-dd)." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var command = new RecordDeath(idempotencyKey!, user.ToActor(), request.Date!.Value, request.Place!, request.DocumentReference!);
        return Answer(await cluster.Citizen(number!.Value).RecordDeathAsync(command), response);
    }

    private static PersonalIdNumber? Number(string text, FieldErrors errors)
    {
        if (PersonalIdNumber.TryParse(text, out var number, out var error))
        {
            return number;
        }

        errors.Add("personalIdNumber", error);
        return null;
    }

    private static Results<Ok<ResidentResponse>, ValidationProblem, ProblemHttpResult> Answer(ChangeOutcome outcome, HttpResponse response)
    {
        switch (outcome)
        {
            case Changed changed:
                if (changed.Replayed)
                {
                    response.Headers["Idempotent-Replayed"] = "true";
                }

                response.Headers.ContentLocation = $"/residents/{changed.Resident.PersonalIdNumber}";
                return TypedResults.Ok(ResidentResponse.From(changed.Resident));
            case ChangeRefused { Kind: RefusalKind.Invalid } invalid:
                return RequestProblems.Invalid(invalid.Errors.Select(Rename));
            case ChangeRefused refused:
                return RequestProblems.Refused(refused);
            default:
                throw new InvalidOperationException($"Unknown change outcome {outcome.GetType().Name}.");
        }
    }

    // The grain names the operation id as the command does; over HTTP it travels as the Idempotency-Key header.
    private static FieldError Rename(FieldError error) =>
        error.Field is "amendmentId" or "operationId" ? error with { Field = "Idempotency-Key" } : error;
}

/// <summary>Body of <c>POST /residents/{personalIdNumber}/amendments</c>.</summary>
/// <param name="Reason">Why the record is corrected; required.</param>
/// <param name="DocumentReference">Reference of the supporting document; required.</param>
/// <param name="Changes">Field name → new value in text form, or null to clear.</param>
public sealed record AmendResidentRequest(string? Reason, string? DocumentReference, IReadOnlyDictionary<string, string?>? Changes);

/// <summary>Body of <c>POST /residents/{personalIdNumber}/death</c>.</summary>
/// <param name="Date">Date of death (yyyy-MM-dd).</param>
/// <param name="Place">Place of death.</param>
/// <param name="DocumentReference">Reference of the death certificate or court decision.</param>
public sealed record RecordDeathRequest(DateOnly? Date, string? Place, string? DocumentReference);
