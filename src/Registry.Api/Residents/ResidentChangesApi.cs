using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Access;
using Registry.Domain.Residents;

namespace Registry.Api.Residents;

/// <summary>Changes to a person: amendments (corrections with reason and document), relocations and death.</summary>
public static class ResidentChangesApi
{
    /// <summary>Maps the change endpoints under the <c>/residents</c> group.</summary>
    public static RouteGroupBuilder MapResidentChanges(this RouteGroupBuilder residents)
    {
        ArgumentNullException.ThrowIfNull(residents);
        residents.MapPost("/{personalIdNumber}/amendments", AmendAsync)
            .WithName("AmendResident")
            .RequireAuthorization(RegistryPolicies.Write)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Correct fields of a person's record, with a reason and the supporting document")
            .WithDescription("changes maps field names to new values in text form (null clears an optional field): fullName, otherNames " +
                             "(separated by ';'), birthDate (yyyy-MM-dd), sex, hometown, ethnicity, religion, nationality, permanentAddress, mother, father, " +
                             "spouse, guardian (12-digit numbers), deathDate, deathPlace. Only a central administrator corrects birthDate or sex; when the " +
                             "correction contradicts the number, a new number is issued and returned, and the old one keeps resolving to the person. " +
                             "After death, permanentAddress, spouse, guardian and nationality are closed (409). Every change is kept in the history. " +
                             "An amendment touching fullName, birthDate or sex is proposed, not applied: 202 with the proposal (Location /proposals/{id}), " +
                             "applied whole (with its other fields) only when a second official approves it (POST /proposals/{id}/approval). " +
                             "The Idempotency-Key identifies the amendment: repeating it has the effect of one.");

        residents.MapPost("/{personalIdNumber}/relocations", RelocateAsync)
            .WithName("RelocateResident")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Move a person's permanent residence to another commune or province")
            .WithDescription("The destination names a current province, one of its communes or wards (5-digit code), and the address within it. " +
                             "The move, the departure from the old province and the arrival in the new one happen together or not at all. " +
                             "An officer registers moves into their own province. 409 when the person is dead, when expectedVersion (the version " +
                             "of GET /residents/{personalIdNumber}) is given and the record changed since, or when the Idempotency-Key was used for " +
                             "another request. The Idempotency-Key identifies the move: repeating it has the effect of one.");

        residents.MapPost("/{personalIdNumber}/temporary-residence", RegisterTemporaryResidenceAsync)
            .WithName("RegisterTemporaryResidence")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register or extend a temporary residence (Law on Residence 68/2020 Art. 27)")
            .WithDescription("provinceCode, communeCode and address of the temporary residence (not the permanent one), from (not in the future) and " +
                             "until: not in the past, at most 2 years from today and from `from`. The same address with a later until extends it. " +
                             "Registered by an officer of the province of the temporary residence. Clears a flag of the residence sweep.");

        residents.MapPost("/{personalIdNumber}/temporary-absence", DeclareTemporaryAbsenceAsync)
            .WithName("DeclareTemporaryAbsence")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Declare a temporary absence from the permanent residence (Law on Residence 68/2020 Art. 31)")
            .WithDescription("from (not in the future), until (optional, not before from), destination (optional). Recorded by an officer of the " +
                             "province of the permanent residence. Clears a flag of the residence sweep.");

        residents.MapPost("/{personalIdNumber}/death", RecordDeathAsync)
            .WithName("RecordDeath")
            .RequireAuthorization(RegistryPolicies.Write)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Propose a person's death, for a second official to approve")
            .WithDescription("Changes nothing yet: answers 202 with the proposal (Location /proposals/{id}). Once a second official approves it " +
                             "(POST /proposals/{id}/approval) the death closes the record for everything except corrections and takes the person " +
                             "out of their province's resident count. A death that could not be recorded (before birth, already recorded) is refused " +
                             "at once. The Idempotency-Key identifies the operation: repeating it has the effect of one.");
        return residents;
    }

    // An amendment touching a four-eyes field is proposed whole, its other fields with it: applying them now and the rest
    // later would split one request in two, against invariant 4 (applied whole or refused).
    private static async Task<Results<Ok<ResidentResponse>, Accepted<ProposalResponse>, RefusalProblem>> AmendAsync(
        string personalIdNumber,
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        AmendResidentRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpContext context)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("changes", request.Changes is null or { Count: 0 } ? "An amendment changes at least one field." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var command = new AmendResident(idempotencyKey!, user.ToActor(), request.Reason!, request.DocumentReference!,
            [.. request.Changes!.Select(change => new FieldChange(change.Key, change.Value))]);
        context.Audit().Touch(number!.Value.Value, request.Changes!.Keys);
        if (FourEyes.Needs(command))
        {
            return await ProposalsApi.ProposeAsync(cluster, number.Value, new ProposedChange(null, command), context.Response) switch
            {
                { Result: Accepted<ProposalResponse> accepted } => accepted,
                { Result: RefusalProblem refused } => refused,
                var other => throw new InvalidOperationException($"Unknown answer {other.Result.GetType().Name}."),
            };
        }

        return Answer(await cluster.Citizen(number.Value).AmendAsync(command), context.Response) switch
        {
            { Result: Ok<ResidentResponse> ok } => ok,
            { Result: RefusalProblem refused } => refused,
            var other => throw new InvalidOperationException($"Unknown answer {other.Result.GetType().Name}."),
        };
    }

    private static async Task<Results<Accepted<ProposalResponse>, RefusalProblem>> RecordDeathAsync(
        string personalIdNumber,
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        RecordDeathRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpContext context)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("date", request.Date is null ? "The date of death is required (yyyy-MM-dd)." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var command = new RecordDeath(idempotencyKey!, user.ToActor(), request.Date!.Value, request.Place!, request.DocumentReference!);
        context.Audit().Touch(number!.Value.Value, [ResidentFields.Death]);
        return await ProposalsApi.ProposeAsync(cluster, number.Value, new ProposedChange(command, null), context.Response);
    }

    private static async Task<Results<Ok<ResidentResponse>, RefusalProblem>> RelocateAsync(
        string personalIdNumber,
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        RelocateResidentRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpResponse response)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("provinceCode", request.ProvinceCode is null ? "The destination province is required." : null);
        errors.Add("communeCode", request.CommuneCode is null ? "The destination commune or ward is required." : null);
        errors.Add("address", request.Address is null ? "The address within the commune is required." : null);
        errors.Add("movedOn", request.MovedOn is null ? "The date of the move is required (yyyy-MM-dd)." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var command = new Relocate(idempotencyKey!, user.ToActor(), new ResidenceAddress(request.ProvinceCode!, request.CommuneCode!, request.Address!),
            request.MovedOn!.Value, request.ExpectedVersion);
        response.HttpContext.Audit().Touch(number!.Value.Value, ["permanentAddress"]);
        return Answer(await cluster.Citizen(number!.Value).RelocateAsync(command), response);
    }

    private static async Task<Results<Ok<ResidentResponse>, RefusalProblem>> RegisterTemporaryResidenceAsync(
        string personalIdNumber,
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        TemporaryResidenceRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpResponse response)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("provinceCode", request.ProvinceCode is null ? "The province of the temporary residence is required." : null);
        errors.Add("communeCode", request.CommuneCode is null ? "The commune or ward of the temporary residence is required." : null);
        errors.Add("address", request.Address is null ? "The address of the temporary residence is required." : null);
        errors.Add("from", request.From is null ? "The first day is required (yyyy-MM-dd)." : null);
        errors.Add("until", request.Until is null ? "The last day is required (yyyy-MM-dd)." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        response.HttpContext.Audit().Touch(number!.Value.Value, ["temporaryResidence"]);
        var command = new RegisterTemporaryResidence(idempotencyKey!, user.ToActor(),
            new ResidenceAddress(request.ProvinceCode!, request.CommuneCode!, request.Address!), request.From!.Value, request.Until!.Value);
        return Answer(await cluster.Citizen(number!.Value).RegisterTemporaryResidenceAsync(command), response);
    }

    private static async Task<Results<Ok<ResidentResponse>, RefusalProblem>> DeclareTemporaryAbsenceAsync(
        string personalIdNumber,
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        TemporaryAbsenceRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpResponse response)
    {
        var errors = new FieldErrors();
        var number = Number(personalIdNumber, errors);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        errors.Add("from", request.From is null ? "The first day away is required (yyyy-MM-dd)." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        response.HttpContext.Audit().Touch(number!.Value.Value, ["temporaryAbsence"]);
        var command = new DeclareTemporaryAbsence(idempotencyKey!, user.ToActor(), request.From!.Value, request.Until, request.Destination);
        return Answer(await cluster.Citizen(number!.Value).DeclareTemporaryAbsenceAsync(command), response);
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

    private static Results<Ok<ResidentResponse>, RefusalProblem> Answer(ChangeOutcome outcome, HttpResponse response)
    {
        switch (outcome)
        {
            case Changed changed:
                if (changed.Replayed)
                {
                    response.Headers["Idempotent-Replayed"] = "true";
                }

                response.Headers.ContentLocation = $"/residents/{changed.Resident.PersonalIdNumber}";
                return TypedResults.Ok(ResidentResponse.From(changed.Resident, changed.Version));
            case ChangeRefused refused:
                return RequestProblems.For(refused.Refusal with { Errors = [.. refused.Refusal.Errors.Select(InRequestTerms)] });
            default:
                throw new InvalidOperationException($"Unknown change outcome {outcome.GetType().Name}.");
        }
    }

    // The grain names fields as the command does, whose destination or address holds the fields the request has flat.
    private static FieldError InRequestTerms(FieldError error) => error.Field switch
    {
        _ when error.Field.StartsWith("destination.", StringComparison.Ordinal) => error with { Field = error.Field["destination.".Length..] },
        _ when error.Field.StartsWith("address.", StringComparison.Ordinal) => error with { Field = error.Field["address.".Length..] },
        _ => error,
    };
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

/// <summary>Body of <c>POST /residents/{personalIdNumber}/relocations</c>.</summary>
/// <param name="ProvinceCode">Current code of the destination province.</param>
/// <param name="CommuneCode">Five-digit code of the destination commune or ward.</param>
/// <param name="Address">Address within the commune.</param>
/// <param name="MovedOn">Date the move is registered (yyyy-MM-dd), not in the future.</param>
/// <param name="ExpectedVersion">The version the caller read; when given, the move is refused (409) if the record changed since.</param>
/// <remarks>An optional field has a default, so that the OpenAPI document does not list it as required.</remarks>
public sealed record RelocateResidentRequest(string? ProvinceCode, string? CommuneCode, string? Address, DateOnly? MovedOn, long? ExpectedVersion = null);

/// <summary>Body of <c>POST /residents/{personalIdNumber}/temporary-residence</c>.</summary>
/// <param name="ProvinceCode">Current code of the province of the temporary residence.</param>
/// <param name="CommuneCode">Five-digit code of its commune or ward.</param>
/// <param name="Address">Address within the commune.</param>
/// <param name="From">First day (yyyy-MM-dd), not in the future.</param>
/// <param name="Until">Last day (yyyy-MM-dd): not in the past, at most 2 years ahead.</param>
public sealed record TemporaryResidenceRequest(string? ProvinceCode, string? CommuneCode, string? Address, DateOnly? From, DateOnly? Until);

/// <summary>Body of <c>POST /residents/{personalIdNumber}/temporary-absence</c>.</summary>
/// <param name="From">First day away (yyyy-MM-dd), not in the future.</param>
/// <param name="Until">Last day away, when known.</param>
/// <param name="Destination">Where the person goes.</param>
/// <remarks>An optional field has a default, so that the OpenAPI document does not list it as required.</remarks>
public sealed record TemporaryAbsenceRequest(DateOnly? From, DateOnly? Until = null, string? Destination = null);
