using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain;
using Registry.Domain.Residents;

namespace Registry.Api.Residents;

/// <summary>
/// The <c>/residents</c> resource: register a person, read them, their history and their numbers. Changes to a
/// person (amendments, death) are in <see cref="ResidentChangesApi"/>, search in <see cref="ResidentSearchEndpoint"/>.
/// </summary>
public static class ResidentsApi
{
    /// <summary>Maps the resident endpoints.</summary>
    public static IEndpointRouteBuilder MapResidentsApi(this IEndpointRouteBuilder endpoints)
    {
        var residents = endpoints.MapGroup("/residents").WithTags("Residents").RequireClusterConnection();

        residents.MapPost("", RegisterAsync)
            .WithName("RegisterResident")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register a person and issue their personal ID number")
            .WithDescription("Allocates a 12-digit number (birth province, sex/century, year, 6 random-looking digits), or keeps an issuedNumber given " +
                             "for a person numbered before the registry, and counts the person in their province. People already registered with the " +
                             "same name (compared without diacritics or case), birth date and birth registration province are returned as duplicate " +
                             "candidates with 409 and nothing is stored: repeat with confirmedNotDuplicate=true if this is someone else. " +
                             "Repeating the request with the same Idempotency-Key returns the same person; the same key with a different body is refused with 409.");

        residents.MapGet("/{personalIdNumber}", GetAsync)
            .WithName("GetResident")
            .WithSummary("Read a person by personal ID number")
            .WithDescription("A number replaced after a corrected birth date or sex resolves to the person: the body carries the current number, " +
                             "and Content-Location names it.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        residents.MapGet("/{personalIdNumber}/history", GetHistoryAsync)
            .WithName("GetResidentHistory")
            .WithSummary("Read every change to a person's record: who, when, which field, old and new value, why")
            .ProducesProblem(StatusCodes.Status404NotFound);

        residents.MapGet("/{personalIdNumber}/numbers", GetNumbersAsync)
            .WithName("GetResidentNumbers")
            .WithSummary("Resolve a number both ways: the person's current number and the numbers it replaced")
            .ProducesProblem(StatusCodes.Status404NotFound);

        residents.MapResidentChanges();
        residents.MapResidentSearch();
        return endpoints;
    }

    private static async Task<Results<Created<ResidentResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        RegisterResidentRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        TimeProvider time,
        HttpResponse response)
    {
        var (command, errors) = request.ToCommand(idempotencyKey, user.ToActor(), VietnamCalendar.Today(time));
        if (command is null)
        {
            return RequestProblems.Invalid(errors);
        }

        var outcome = await cluster.Registration(command.IdempotencyKey).RegisterAsync(command);
        switch (outcome)
        {
            case Registered registered:
                if (registered.Replayed)
                {
                    response.Headers["Idempotent-Replayed"] = "true";
                }

                // The record as registered, replayed or not, is the citizen's first version.
                var body = ResidentResponse.From(registered.Resident, version: 1);
                return TypedResults.Created($"/residents/{body.PersonalIdNumber}", body);
            case Rejected rejected:
                return RequestProblems.Invalid(rejected.Errors);
            case IdempotencyKeyReused reused:
                return TypedResults.Problem(
                    title: "This Idempotency-Key was already used for a different request; nothing was changed.",
                    detail: $"Key '{reused.IdempotencyKey}' belongs to an earlier registration with other details. Use a new key for a new request.",
                    statusCode: StatusCodes.Status409Conflict);
            case DuplicateCandidatesFound found:
                return TypedResults.Problem(
                    title: "People with the same name, birth date and birth registration province are already registered; nothing was changed.",
                    detail: "Check the candidates. If the person is one of them, use that record; if not, repeat the request with confirmedNotDuplicate set to true.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?>
                    {
                        ["candidates"] = found.Candidates.Select(candidate => new DuplicateCandidateResponse(
                            candidate.PersonalIdNumber.Value, candidate.FullName, candidate.BirthDate, ResidentFields.Text(candidate.Sex),
                            candidate.BirthRegistrationProvince, candidate.PermanentResidenceProvince)).ToArray(),
                    });
            case NumberTaken taken:
                return TypedResults.Problem(
                    title: "The issued number already belongs to a person in the registry; nothing was changed.",
                    detail: $"Personal ID number {taken.PersonalIdNumber} is held by someone else.",
                    statusCode: StatusCodes.Status409Conflict);
            case RegistrationForbidden forbidden:
                return TypedResults.Problem(title: "You may not register this person; nothing was changed.", detail: forbidden.Reason, statusCode: StatusCodes.Status403Forbidden);
            default:
                throw new InvalidOperationException($"Unknown registration outcome {outcome.GetType().Name}.");
        }
    }

    private static async Task<Results<Ok<ResidentResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string personalIdNumber,
        IClusterClient cluster,
        HttpResponse response)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.Invalid([new FieldError("personalIdNumber", error!)]);
        }

        if (await cluster.Citizen(number).GetViewAsync() is not { } view)
        {
            return NotFound(number);
        }

        response.Headers.ContentLocation = $"/residents/{view.Resident.PersonalIdNumber}";
        return TypedResults.Ok(ResidentResponse.From(view.Resident, view.Version));
    }

    private static async Task<Results<Ok<ResidentChangeResponse[]>, ValidationProblem, ProblemHttpResult>> GetHistoryAsync(
        string personalIdNumber,
        IClusterClient cluster)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.Invalid([new FieldError("personalIdNumber", error!)]);
        }

        var history = await cluster.Citizen(number).GetHistoryAsync();
        return history.Length == 0 ? NotFound(number) : TypedResults.Ok(history.Select(ResidentChangeResponse.From).ToArray());
    }

    private static async Task<Results<Ok<NumberLineageResponse>, ValidationProblem, ProblemHttpResult>> GetNumbersAsync(
        string personalIdNumber,
        IClusterClient cluster)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.Invalid([new FieldError("personalIdNumber", error!)]);
        }

        return await cluster.Citizen(number).GetNumbersAsync() is { } lineage
            ? TypedResults.Ok(new NumberLineageResponse(lineage.Requested.Value, lineage.Current.Value, [.. lineage.Previous.Select(previous => previous.Value)]))
            : NotFound(number);
    }

    private static ProblemHttpResult NotFound(PersonalIdNumber number) =>
        TypedResults.Problem(
            title: "No person holds this personal ID number.",
            detail: $"Personal ID number {number} is not in the registry.",
            statusCode: StatusCodes.Status404NotFound);
}
