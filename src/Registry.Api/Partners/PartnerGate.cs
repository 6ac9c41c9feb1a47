using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Database.Partners;
using Registry.Domain.Access;
using Registry.Tokens;

namespace Registry.Api.Partners;

/// <summary>
/// The way in for every request of a ministry partner: the partner role, a stated purpose (400 without one), a policy
/// (403 without one), and the purpose among the policy's (403 otherwise). What it learns goes into the request's audit.
/// </summary>
internal static class PartnerGate
{
    /// <summary>Admits only ministry partners; other roles get the framework's 403 naming the role needed.</summary>
    public static TBuilder RequirePartner<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(ActorClaims.RoleName(ActorRole.MinistryPartner)));

    /// <summary>The partner's policy when the request may go on; otherwise the refusal to answer with, recorded in the audit.</summary>
    public static async Task<(PartnerPolicy? Policy, RefusalProblem? Refused)> AdmitAsync(
        HttpContext context, Actor partner, PartnerPolicyStore policies, CancellationToken cancellationToken)
    {
        var audit = context.Audit();
        if (!PurposeHeaders.TryRead(context.Request, out var stated, out var error))
        {
            audit.Refusal = error;
            return (null, RequestProblems.For(Refusal.Invalid(PurposeHeaders.Code, error)));
        }

        audit.Purpose = stated;
        var policy = await policies.GetAsync(partner.Id, cancellationToken);
        return PartnerPolicies.Admit(policy, partner.Id, stated.Purpose, PurposeHeaders.Code) is { } refusal
            ? (null, Refuse(context, refusal))
            : (policy, null);
    }

    /// <summary>The answer to <paramref name="refusal"/>, its reasons recorded in the request's audit.</summary>
    public static RefusalProblem Refuse(HttpContext context, Refusal refusal)
    {
        context.Audit().Refusal = string.Join(" ", refusal.Errors.Select(error => error.Message));
        return RequestProblems.For(refusal);
    }
}
