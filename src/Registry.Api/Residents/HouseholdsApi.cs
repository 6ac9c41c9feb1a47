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
using Registry.Domain.Residents;

namespace Registry.Api.Residents;

/// <summary>The <c>/households/relocations</c> resource: a household's move, all members or none.</summary>
public static class HouseholdsApi
{
    /// <summary>Maps the household endpoints.</summary>
    public static IEndpointRouteBuilder MapHouseholdsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/households").WithTags("Residents").RequireClusterConnection().AuditsPersonalData()
            .MapPost("/relocations", RelocateAsync)
            .WithName("RelocateHousehold")
            .RequireAuthorization(RegistryPolicies.Write)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Move a household to one new permanent residence: every member or none")
            .WithDescription("members lists 1 to 30 personal ID numbers. Every member is checked first; if any cannot move (dead, unknown, " +
                             "already there, an officer of another province...), nobody moves and the 409 lists each member's result. Each " +
                             "member's move is a relocation of its own (history, counts), with the idempotency key household:{digest}:{number}, " +
                             "digest being the first 32 hex digits of the SHA-256 of the Idempotency-Key; if a member is refused after the " +
                             "check, those already moved are moved back. The Idempotency-Key identifies the request.");
        return endpoints;
    }

    private static async Task<Results<Ok<HouseholdResponse>, RefusalProblem>> RelocateAsync(
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        RelocateHouseholdRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpResponse response)
    {
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        var members = new List<PersonalIdNumber>();
        foreach (var (text, i) in (request.Members ?? []).Select((text, i) => (text, i)))
        {
            if (PersonalIdNumber.TryParse(text, out var number, out var error))
            {
                members.Add(number);
            }
            else
            {
                errors.Add($"members[{i}]", error);
            }
        }

        errors.Add("members", request.Members is null ? "The members are required." : null);
        errors.Add("provinceCode", request.ProvinceCode is null ? "The destination province is required." : null);
        errors.Add("communeCode", request.CommuneCode is null ? "The destination commune or ward is required." : null);
        errors.Add("address", request.Address is null ? "The address within the commune is required." : null);
        errors.Add("movedOn", request.MovedOn is null ? "The date of the move is required (yyyy-MM-dd)." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        foreach (var member in members)
        {
            response.HttpContext.Audit().Touch(member.Value, ["permanentAddress"]);
        }

        var command = new RelocateHousehold(idempotencyKey!, user.ToActor(), [.. members],
            new ResidenceAddress(request.ProvinceCode!, request.CommuneCode!, request.Address!), request.MovedOn!.Value);
        switch (await cluster.HouseholdRelocation(command.IdempotencyKey).RelocateAsync(command))
        {
            case HouseholdMoved moved:
                if (moved.Replayed)
                {
                    response.Headers["Idempotent-Replayed"] = "true";
                }

                return TypedResults.Ok(new HouseholdResponse([.. moved.Members.Select(member => ResidentResponse.From(member.Resident, member.Version))]));
            case HouseholdRefused { Members.Length: 0 } refused:
                return RequestProblems.For(refused.Refusal);
            case HouseholdRefused refused:
                return RequestProblems.For(refused.Refusal,
                    new Dictionary<string, object?>
                    {
                        ["members"] = refused.Members.Select(member => new HouseholdMemberResponse(
                            member.PersonalIdNumber.Value,
                            member.Refusal is null ? (member.MovedBack ? "movedBack" : "couldMove") : "refused",
                            member.Refusal?.Errors.GroupBy(error => error.Field).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray()))).ToArray(),
                    });
            case var other:
                throw new InvalidOperationException($"Unknown household outcome {other.GetType().Name}.");
        }
    }
}

/// <summary>Body of <c>POST /households/relocations</c>.</summary>
/// <param name="Members">The members' personal ID numbers.</param>
/// <param name="ProvinceCode">Current code of the destination province.</param>
/// <param name="CommuneCode">Five-digit code of the destination commune or ward.</param>
/// <param name="Address">Address within the commune.</param>
/// <param name="MovedOn">Date the move is registered (yyyy-MM-dd).</param>
public sealed record RelocateHouseholdRequest(string[]? Members, string? ProvinceCode, string? CommuneCode, string? Address, DateOnly? MovedOn);

/// <summary>A household that moved: each member after the move, in the request's order.</summary>
public sealed record HouseholdResponse(ResidentResponse[] Members);

/// <summary>One member's part of a household that could not move.</summary>
/// <param name="PersonalIdNumber">The member.</param>
/// <param name="Status"><c>refused</c> (this member cannot move), <c>couldMove</c> (others could not), <c>movedBack</c> (had moved, moved back).</param>
/// <param name="Errors">Why this member was refused, by field.</param>
public sealed record HouseholdMemberResponse(string PersonalIdNumber, string Status, Dictionary<string, string[]>? Errors);
