using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts.Access;
using Registry.Tokens;

namespace Registry.Api.Residents;

/// <summary>
/// <c>GET /me</c> and <c>GET /me/history</c>: a citizen's own door to their record, named by their token (its subject is
/// their personal ID number) rather than by a number in the path. The answers are those of <c>GET /residents/{n}</c> and
/// its history for that number; no purpose is needed, the reason is the citizen's own.
/// </summary>
public static class OwnRecordApi
{
    /// <summary>Maps the citizen's own endpoints.</summary>
    public static IEndpointRouteBuilder MapOwnRecordApi(this IEndpointRouteBuilder endpoints)
    {
        // Only a citizen has a record of their own; every other role reads through /residents/{n} (or not at all).
        var me = endpoints.MapGroup("/me").WithTags("Residents").RequireClusterConnection()
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(ActorClaims.RoleName(ActorRole.Citizen)))
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapGet("", ReadAsync)
            .WithName("GetOwnRecord")
            .WithSummary("A citizen reads their own record (the number is the token's subject)");
        me.MapGet("/history", ReadHistoryAsync)
            .WithName("GetOwnHistory")
            .WithSummary("A citizen reads every change to their own record: who, when, which field, old and new value, why");
        return endpoints;
    }

    private static Task<Results<Ok<ResidentResponse>, RefusalProblem>> ReadAsync(HttpContext context, IClusterClient cluster, TimeProvider time) =>
        ResidentsApi.ReadRecordAsync(context.User.ToActor().Id, context, cluster, time);

    private static Task<Results<Ok<ResidentChangeResponse[]>, RefusalProblem>> ReadHistoryAsync(HttpContext context, IClusterClient cluster, TimeProvider time) =>
        ResidentsApi.ReadHistoryAsync(context.User.ToActor().Id, context, cluster, time);
}
