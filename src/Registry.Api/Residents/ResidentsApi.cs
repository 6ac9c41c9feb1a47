using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Api.Residents;

/// <summary>The <c>/residents</c> resource: register a person, read a person by personal ID number.</summary>
public static class ResidentsApi
{
    /// <summary>Maps the resident endpoints.</summary>
    public static IEndpointRouteBuilder MapResidentsApi(this IEndpointRouteBuilder endpoints)
    {
        var residents = endpoints.MapGroup("/residents").WithTags("Residents").RequireClusterConnection();

        residents.MapPost("", RegisterAsync).RequireAuthorization(Access.RegistryPolicies.Write)
            .WithName("RegisterResident")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register a person and issue their personal ID number")
            .WithDescription("Allocates a 12-digit number (birth province, sex/century, year, 6 random-looking digits) and counts the person in their province. " +
                             "Repeating the request with the same Idempotency-Key returns the same person; the same key with a different body is refused with 409.");

        residents.MapGet("/{personalIdNumber}", GetAsync)
            .WithName("GetResident")
            .WithSummary("Read a person by personal ID number")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    private static async Task<Results<Created<ResidentResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        RegisterResidentRequest request,
        IClusterClient cluster,
        TimeProvider time,
        HttpResponse response)
    {
        var (command, errors) = request.ToCommand(idempotencyKey, VietnamCalendar.Today(time));
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

                var body = ResidentResponse.From(registered.Resident);
                return TypedResults.Created($"/residents/{body.PersonalIdNumber}", body);
            case Rejected rejected:
                return RequestProblems.Invalid(rejected.Errors);
            case IdempotencyKeyReused reused:
                return TypedResults.Problem(
                    title: "This Idempotency-Key was already used for a different request; nothing was changed.",
                    detail: $"Key '{reused.IdempotencyKey}' belongs to an earlier registration with other details. Use a new key for a new request.",
                    statusCode: StatusCodes.Status409Conflict);
            default:
                throw new InvalidOperationException($"Unknown registration outcome {outcome.GetType().Name}.");
        }
    }

    private static async Task<Results<Ok<ResidentResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string personalIdNumber,
        IClusterClient cluster)
    {
        if (!PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error))
        {
            return RequestProblems.Invalid([new FieldError("personalIdNumber", error!)]);
        }

        var resident = await cluster.Citizen(number).GetAsync();
        return resident is null
            ? TypedResults.Problem(
                title: "No person holds this personal ID number.",
                detail: $"Personal ID number {number} is not in the registry.",
                statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ResidentResponse.From(resident));
    }
}
