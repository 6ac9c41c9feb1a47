using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Api.Limits;
using Registry.Contracts;
using Registry.Database.Partners;
using Registry.Domain.Access;

namespace Registry.Api.Partners;

/// <summary>
/// The <c>/partner-policies</c> resource: what each ministry partner may do, set and read by central administrators
/// only (a policy is no personal data, but who may read personal data is the registry's most guarded setting).
/// </summary>
public static class PartnerPoliciesApi
{
    /// <summary>Maps the partner policy endpoints.</summary>
    public static IEndpointRouteBuilder MapPartnerPoliciesApi(this IEndpointRouteBuilder endpoints)
    {
        var policies = endpoints.MapGroup("/partner-policies").WithTags("Access").RequireAuthorization(RegistryPolicies.Administer);

        policies.MapPut("/{partnerId}", PutAsync)
            .WithName("PutPartnerPolicy")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Set a ministry partner's policy (central administrators)")
            .WithDescription("partnerId is the partner's token subject. The body names the purposes it may state (codes of GET /access-purposes), " +
                             "the fields eKYC may return to it and its events carry, the kinds of event it receives (birth, death, relocation, " +
                             $"reorganisation), its rate ({PartnerPolicies.MinimumRequestsPerMinute} to {PartnerPolicies.MaximumRequestsPerMinute} requests per minute) " +
                             "and whether it may ask yes/no verifications. It replaces the partner's earlier policy; a bad item is refused with 400 " +
                             "naming it (e.g. purposes[1]) and nothing is stored. 201 when the partner had no policy, 200 when it replaced one.");

        policies.MapGet("/{partnerId}", GetAsync)
            .WithName("GetPartnerPolicy")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read a ministry partner's policy (central administrators)");

        policies.MapGet("/", ListAsync)
            .WithName("ListPartnerPolicies")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Every ministry partner's policy, by partner id (central administrators)");
        return endpoints;
    }

    private static async Task<Results<Created<PartnerPolicyResponse>, Ok<PartnerPolicyResponse>, RefusalProblem>> PutAsync(
        string partnerId, PartnerPolicyRequest request, ClaimsPrincipal user, PartnerPolicyStore store, PartnerRateBudgets budgets, CancellationToken cancellationToken)
    {
        var (policy, errors) = PartnerPolicies.Build(partnerId, request.Purposes, request.Fields, request.EventKinds, request.RequestsPerMinute, request.MayVerify);
        if (policy is null)
        {
            return RequestProblems.Invalid(errors);
        }

        var response = PartnerPolicyResponse.From(policy);
        var created = await store.PutAsync(policy, user.ToActor().Id, cancellationToken);
        // The new rate holds from the next request to this process; other API processes read it at their next reload.
        await budgets.ReloadAsync(cancellationToken);
        return created
            ? TypedResults.Created($"/partner-policies/{policy.PartnerId}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<PartnerPolicyResponse>, RefusalProblem>> GetAsync(string partnerId, PartnerPolicyStore store, CancellationToken cancellationToken)
    {
        if (PartnerPolicies.PartnerIdError(partnerId) is { } error)
        {
            return RequestProblems.Invalid([new FieldError("partnerId", error)]);
        }

        return await store.GetAsync(partnerId, cancellationToken) is { } policy
            ? TypedResults.Ok(PartnerPolicyResponse.From(policy))
            : RequestProblems.For(new Refusal(RefusalKind.NotFound, "The partner has no policy.",
                [new FieldError("partnerId", $"No policy is set for partner '{partnerId}'.")]));
    }

    private static async Task<Ok<PartnerPolicyResponse[]>> ListAsync(PartnerPolicyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(PartnerPolicyResponse.From).ToArray());
}

/// <summary>Body of <c>PUT /partner-policies/{partnerId}</c>; every member is required (a list may be empty).</summary>
/// <param name="Purposes">Codes of the published purposes the partner may state, e.g. ["health-care"].</param>
/// <param name="Fields">Fields eKYC may return and events carry, e.g. ["personalIdNumber", "fullName", "alive"].</param>
/// <param name="EventKinds">Kinds of event the partner receives: birth, death, relocation, reorganisation.</param>
/// <param name="RequestsPerMinute">The partner's rate.</param>
/// <param name="MayVerify">Whether the partner may ask yes/no verifications.</param>
public sealed record PartnerPolicyRequest(
    IReadOnlyList<string?>? Purposes, IReadOnlyList<string?>? Fields, IReadOnlyList<string?>? EventKinds, int? RequestsPerMinute, bool? MayVerify);

/// <summary>A partner's policy as stored.</summary>
public sealed record PartnerPolicyResponse(
    string PartnerId, IReadOnlyList<string> Purposes, IReadOnlyList<string> Fields, IReadOnlyList<string> EventKinds, int RequestsPerMinute, bool MayVerify)
{
    /// <summary>The response for <paramref name="policy"/>.</summary>
    public static PartnerPolicyResponse From(PartnerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(policy.PartnerId, policy.Purposes, policy.Fields, [.. policy.EventKinds.Select(PartnerPolicies.NameOf)], policy.RequestsPerMinute, policy.MayVerify);
    }
}
