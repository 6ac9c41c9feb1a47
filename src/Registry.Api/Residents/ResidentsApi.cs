using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Access;
using Registry.Api.Audit;
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
        var residents = endpoints.MapGroup("/residents").WithTags("Residents").RequireClusterConnection().AuditsPersonalData();

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

    private static async Task<Results<Created<ResidentResponse>, RefusalProblem>> RegisterAsync(
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
                response.HttpContext.Audit().Touch(body.PersonalIdNumber, ["record"]);
                return TypedResults.Created($"/residents/{body.PersonalIdNumber}", body);
            case RegistrationRefused refused:
                return RequestProblems.For(refused.Refusal);
            case DuplicateCandidatesFound found:
                return RequestProblems.For(
                    new Refusal(RefusalKind.Conflict, "People with the same name, birth date and birth registration province are already registered; nothing was changed.",
                        [new FieldError("confirmedNotDuplicate",
                            "Check the candidates. If the person is one of them, use that record; if not, repeat the request with confirmedNotDuplicate set to true.")]),
                    new Dictionary<string, object?>
                    {
                        ["candidates"] = found.Candidates.Select(candidate => new DuplicateCandidateResponse(
                            candidate.PersonalIdNumber.Value, candidate.FullName, candidate.BirthDate, ResidentFields.Text(candidate.Sex),
                            candidate.BirthRegistrationProvince, candidate.PermanentResidenceProvince)).ToArray(),
                    });
            default:
                throw new InvalidOperationException($"Unknown registration outcome {outcome.GetType().Name}.");
        }
    }

    private static async Task<Results<Ok<ResidentResponse>, RefusalProblem>> GetAsync(
        string personalIdNumber,
        IClusterClient cluster,
        HttpResponse response)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.For(Refusal.Invalid("personalIdNumber", error!));
        }

        if (await cluster.Citizen(number).GetViewAsync() is not { } view)
        {
            return NotFound(number);
        }

        response.Headers.ContentLocation = $"/residents/{view.Resident.PersonalIdNumber}";
        return TypedResults.Ok(ResidentResponse.From(view.Resident, view.Version));
    }

    private static async Task<Results<Ok<ResidentChangeResponse[]>, RefusalProblem>> GetHistoryAsync(
        string personalIdNumber,
        IClusterClient cluster)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.For(Refusal.Invalid("personalIdNumber", error!));
        }

        var history = await cluster.Citizen(number).GetHistoryAsync();
        return history.Length == 0 ? NotFound(number) : TypedResults.Ok(history.Select(ResidentChangeResponse.From).ToArray());
    }

    private static async Task<Results<Ok<NumberLineageResponse>, RefusalProblem>> GetNumbersAsync(
        string personalIdNumber,
        IClusterClient cluster)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.For(Refusal.Invalid("personalIdNumber", error!));
        }

        return await cluster.Citizen(number).GetNumbersAsync() is { } lineage
            ? TypedResults.Ok(new NumberLineageResponse(lineage.Requested.Value, lineage.Current.Value, [.. lineage.Previous.Select(previous => previous.Value)]))
            : NotFound(number);
    }

    private static RefusalProblem NotFound(PersonalIdNumber number) =>
        RequestProblems.For(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
            [new FieldError("personalIdNumber", $"Personal ID number {number} is not in the registry.")]));
}
