using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Domain.Access;
using Registry.Tokens;

namespace Registry.Api.Residents;

/// <summary>
/// <c>/me/lock</c>: a citizen locks their own record against ministry partners' verification and eKYC, unlocks it, or
/// opens it for a set time (issue 11, part 6). The citizen is the token's subject, their personal ID number; nobody
/// else sets a person's lock.
/// </summary>
public static class RecordLockApi
{
    /// <summary>The field the audit names for the lock.</summary>
    private const string LockField = "lock";

    /// <summary>Maps the lock endpoints.</summary>
    public static IEndpointRouteBuilder MapRecordLockApi(this IEndpointRouteBuilder endpoints)
    {
        var own = endpoints.MapGroup("/me/lock").WithTags("Residents").RequireClusterConnection()
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(ActorClaims.RoleName(ActorRole.Citizen)))
            .AuditsPersonalData();

        own.MapGet("", GetAsync)
            .WithName("GetOwnLock")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read the lock of one's own record against partners (citizens)");

        own.MapPut("", PutAsync)
            .WithName("PutOwnLock")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Lock, unlock, or open for a time one's own record against partners' verification and eKYC (citizens)")
            .WithDescription("state is locked (partners get locked and nothing else), unlocked, or open with openUntil, a timestamp with its " +
                             $"offset at most {RecordLocks.LongestWindow.TotalDays:0} days ahead: partners get through until then, and locked from then on. " +
                             "Officers and administrators are not affected.");
        return endpoints;
    }

    private static async Task<Results<Ok<RecordLockResponse>, RefusalProblem>> GetAsync(ClaimsPrincipal user, HttpContext context, IClusterClient cluster)
    {
        var number = Own(user, context);
        return await cluster.Citizen(number).GetLockAsync() is { } recordLock
            ? TypedResults.Ok(RecordLockResponse.From(recordLock))
            : NotFound(number);
    }

    private static async Task<Results<Ok<RecordLockResponse>, RefusalProblem>> PutAsync(
        RecordLockRequest request, ClaimsPrincipal user, HttpContext context, IClusterClient cluster, TimeProvider time)
    {
        var number = Own(user, context);
        var (recordLock, errors) = RecordLocks.Decide(request.State, request.OpenUntil, time.GetUtcNow());
        if (recordLock is null)
        {
            context.Audit().Refusal = string.Join(" ", errors.Select(error => error.Message));
            return RequestProblems.Invalid(errors);
        }

        return await cluster.Citizen(number).SetLockAsync(recordLock) is { } stored
            ? TypedResults.Ok(RecordLockResponse.From(stored))
            : NotFound(number);
    }

    // The citizen's own number, from their token (authentication checked it is a personal ID number).
    private static PersonalIdNumber Own(ClaimsPrincipal user, HttpContext context)
    {
        var subject = Access.ActorPrincipal.ToActor(user).Id;
        var number = PersonalIdNumber.TryParse(subject, out var parsed, out var error)
            ? parsed
            : throw new InvalidOperationException($"A citizen's token passed authentication without a personal ID number: {error}");
        context.Audit().Touch(number.Value, [LockField]);
        return number;
    }

    private static RefusalProblem NotFound(PersonalIdNumber number) =>
        RequestProblems.For(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
            [new FieldError("personalIdNumber", $"The token's personal ID number {number} is not in the registry.")]));
}

/// <summary>Body of <c>PUT /me/lock</c>.</summary>
/// <param name="State">locked, unlocked or open.</param>
/// <param name="OpenUntil">With open only: when the window ends, a timestamp with its offset.</param>
public sealed record RecordLockRequest(string? State, DateTimeOffset? OpenUntil = null);

/// <summary>A person's lock as they set it.</summary>
/// <param name="State">locked, unlocked or open.</param>
/// <param name="OpenUntil">With open: when the window ends (and partners get locked again).</param>
/// <param name="SetAt">When the person last set it; null while never.</param>
public sealed record RecordLockResponse(string State, DateTimeOffset? OpenUntil, DateTimeOffset? SetAt)
{
    /// <summary>The response for <paramref name="recordLock"/>.</summary>
    public static RecordLockResponse From(RecordLock recordLock)
    {
        ArgumentNullException.ThrowIfNull(recordLock);
        return new(RecordLocks.NameOf(recordLock.State), recordLock.OpenUntil, recordLock.SetAt);
    }
}
