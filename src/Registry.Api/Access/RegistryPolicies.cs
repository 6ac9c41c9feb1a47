using Microsoft.AspNetCore.Authorization;
using Registry.Contracts.Access;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>
/// Names of the authorization policies, for <c>RequireAuthorization</c> on endpoints. Every endpoint without one
/// still needs an authenticated caller (the fallback policy); only health and the API reference are anonymous.
/// </summary>
public static class RegistryPolicies
{
    /// <summary>
    /// Reading: any authenticated caller, operators included. What holds no personal data (a province's counters and
    /// communes, migration between provinces, reorganisation plans) stays at that; an endpoint that returns people's
    /// data asks <see cref="Domain.Access.Readers"/> per request, because who may read depends on the person or province.
    /// </summary>
    public const string Read = "registry.read";

    /// <summary>
    /// Changing people: provincial officers and central administrators; ministry partners and citizens never write.
    /// Whether an officer's change is for their own province is decided where the person's province is known.
    /// </summary>
    public const string Write = "registry.write";

    /// <summary>Reference data and national operations (communes, reconciliation): central administrators only.</summary>
    public const string Administer = "registry.administer";

    /// <summary>The roles that <see cref="Write"/> admits, in their wire names.</summary>
    public static IReadOnlyList<string> WriterRoles { get; } =
        [ActorClaims.RoleName(ActorRole.ProvincialOfficer), ActorClaims.RoleName(ActorRole.CentralAdministrator)];

    /// <summary>Adds the named policies, and makes an authenticated caller the default for every other endpoint.</summary>
    internal static AuthorizationBuilder AddRegistryPolicies(this AuthorizationBuilder authorization)
    {
        var authenticated = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        return authorization
            .SetFallbackPolicy(authenticated)
            .AddPolicy(Read, authenticated)
            .AddPolicy(Write, policy => policy.RequireAuthenticatedUser().RequireRole(WriterRoles))
            .AddPolicy(Administer, policy => policy.RequireAuthenticatedUser().RequireRole(ActorClaims.RoleName(ActorRole.CentralAdministrator)));
    }
}
