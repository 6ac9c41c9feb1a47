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
using Registry.Domain.Access;
using Registry.Domain.Residents;

namespace Registry.Api.Residents;

/// <summary>
/// The <c>/residents</c> resource: register a person, read them, their history and their numbers. Changes to a
/// person (amendments, death) are in <see cref="ResidentChangesApi"/>, search in <see cref="ResidentSearchEndpoint"/>.
/// </summary>
public static class ResidentsApi
{
    private const string WhoReads =
        "A provincial officer reads people whose permanent or temporary residence is in their province or whose birth was registered there, " +
        "a central administrator everyone, a citizen only themselves (or GET /me); ministry partners and operators read no record (403). " +
        "Officials state a purpose in the headers " + PurposeHeaders.Code + " and " + PurposeHeaders.Note + " (400 without one).";

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
                             "and Content-Location names it. " + WhoReads)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        residents.MapGet("/{personalIdNumber}/history", GetHistoryAsync)
            .WithName("GetResidentHistory")
            .WithSummary("Read every change to a person's record: who, when, which field, old and new value, why")
            .WithDescription(WhoReads)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        residents.MapGet("/{personalIdNumber}/numbers", GetNumbersAsync)
            .WithName("GetResidentNumbers")
            .WithSummary("Resolve a number both ways: the person's current number and the numbers it replaced")
            .WithDescription(WhoReads)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
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

    private static Task<Results<Ok<ResidentResponse>, RefusalProblem>> GetAsync(
        string personalIdNumber, HttpContext context, IClusterClient cluster, TimeProvider time) =>
        ReadRecordAsync(personalIdNumber, context, cluster, time);

    private static Task<Results<Ok<ResidentChangeResponse[]>, RefusalProblem>> GetHistoryAsync(
        string personalIdNumber, HttpContext context, IClusterClient cluster, TimeProvider time) =>
        ReadHistoryAsync(personalIdNumber, context, cluster, time);

    private static async Task<Results<Ok<NumberLineageResponse>, RefusalProblem>> GetNumbersAsync(
        string personalIdNumber, HttpContext context, IClusterClient cluster, TimeProvider time)
    {
        var (number, refused) = await ReadableAsync(personalIdNumber, PersonalDataKind.Numbers, context, cluster, time);
        if (refused is not null)
        {
            return refused;
        }

        if (await cluster.Citizen(number).GetNumbersAsync() is not { } lineage)
        {
            return NotFound(number);
        }

        context.Audit().Touch(lineage.Current.Value, PersonalDataReads.FieldsOf<NumberLineageResponse>());
        return TypedResults.Ok(new NumberLineageResponse(lineage.Requested.Value, lineage.Current.Value, [.. lineage.Previous.Select(previous => previous.Value)]));
    }

    /// <summary>The record under <paramref name="personalIdNumber"/>, if the caller may read it (<see cref="Readers"/>); also the citizen's <c>GET /me</c>.</summary>
    internal static async Task<Results<Ok<ResidentResponse>, RefusalProblem>> ReadRecordAsync(
        string personalIdNumber, HttpContext context, IClusterClient cluster, TimeProvider time)
    {
        var (number, refused) = await ReadableAsync(personalIdNumber, PersonalDataKind.Record, context, cluster, time);
        if (refused is not null)
        {
            return refused;
        }

        // Read again rather than handed over by the check: a change in between is answered as it now is.
        if (await cluster.Citizen(number).GetViewAsync() is not { } view)
        {
            return NotFound(number);
        }

        context.Response.Headers.ContentLocation = $"/residents/{view.Resident.PersonalIdNumber}";
        context.Audit().Touch(view.Resident.PersonalIdNumber.Value, PersonalDataReads.FieldsOf<ResidentResponse>());
        return TypedResults.Ok(ResidentResponse.From(view.Resident, view.Version));
    }

    /// <summary>The history under <paramref name="personalIdNumber"/>, if the caller may read it; also the citizen's <c>GET /me/history</c>.</summary>
    internal static async Task<Results<Ok<ResidentChangeResponse[]>, RefusalProblem>> ReadHistoryAsync(
        string personalIdNumber, HttpContext context, IClusterClient cluster, TimeProvider time)
    {
        var (number, refused) = await ReadableAsync(personalIdNumber, PersonalDataKind.History, context, cluster, time);
        if (refused is not null)
        {
            return refused;
        }

        var history = await cluster.Citizen(number).GetHistoryAsync();
        if (history.Length == 0)
        {
            return NotFound(number);
        }

        context.Audit().Touch(number.Value, PersonalDataReads.FieldsOf<ResidentChangeResponse>());
        return TypedResults.Ok(history.Select(ResidentChangeResponse.From).ToArray());
    }

    /// <summary>
    /// The number asked for, or the answer refusing the request: 403 when the caller's role never reads <paramref name="kind"/>
    /// or may not read this person, 400 for a malformed number or a missing purpose, 404 when nobody holds the number. A
    /// citizen asking for a number that is not theirs, or an officer for one born elsewhere, gets 403 whether anybody holds
    /// it or not: the answer must not tell them who is registered.
    /// </summary>
    private static async Task<(PersonalIdNumber Number, RefusalProblem? Refused)> ReadableAsync(
        string personalIdNumber, PersonalDataKind kind, HttpContext context, IClusterClient cluster, TimeProvider time)
    {
        var actor = context.User.ToActor();
        if (Readers.RefusalFor(actor, kind) is { } never)
        {
            return (default, context.RefuseRead(never));
        }

        var errors = new FieldErrors();
        errors.Add("personalIdNumber", PersonalIdNumber.TryParse(personalIdNumber, out var number, out var error) ? null : error);
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return (default, context.RefuseInvalid(errors.ToArray()));
        }

        // Asked for, allowed or not: the person can learn that someone tried.
        context.Audit().Touch(number.Value, []);
        if (await cluster.Citizen(number).GetAsync() is not { } resident)
        {
            // Whether a number is held is told only to whoever could read its holder by what the number itself says.
            return Readers.RefusalFor(actor, PersonFacts.OfNumberAlone(number)) is { } notTheirs
                ? (number, context.RefuseRead(notTheirs))
                : (number, NotFound(number));
        }

        return Readers.RefusalFor(actor, PersonFacts.Of(resident, VietnamCalendar.Today(time))) is { } refusal
            ? (number, context.RefuseRead(refusal))
            : (number, null);
    }

    private static RefusalProblem NotFound(PersonalIdNumber number) =>
        RequestProblems.For(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
            [new FieldError("personalIdNumber", $"Personal ID number {number} is not in the registry.")]));
}
