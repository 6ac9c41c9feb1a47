using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;

namespace Registry.Tokens;

/// <summary>
/// How a token names its <see cref="Actor"/>: <c>sub</c> (the actor's id), <c>role</c> (one of <see cref="RoleNames"/>)
/// and, for a provincial officer only, <c>province</c> (a known 3-digit code). The rules of a well-formed actor
/// live here once, for the tool that writes these claims and for the API that refuses tokens breaking them.
/// </summary>
public static class ActorClaims
{
    /// <summary>JWT subject: the actor's id, e.g. an officer's staff id.</summary>
    public const string Subject = "sub";

    /// <summary>The actor's role, in its wire name (<c>provincial-officer</c>, …).</summary>
    public const string Role = "role";

    /// <summary>The 3-digit province code a provincial officer writes for.</summary>
    public const string Province = "province";

    /// <summary>Wire names of the roles, in the order of <see cref="ActorRole"/>.</summary>
    public static IReadOnlyList<string> RoleNames { get; } = [.. Enum.GetValues<ActorRole>().Select(RoleName)];

    /// <summary>The wire name of <paramref name="role"/>, e.g. <c>central-administrator</c>.</summary>
    public static string RoleName(ActorRole role) => role switch
    {
        ActorRole.ProvincialOfficer => "provincial-officer",
        ActorRole.CentralAdministrator => "central-administrator",
        ActorRole.MinistryPartner => "ministry-partner",
        ActorRole.Citizen => "citizen",
        ActorRole.Operator => "operator",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role of the registry."),
    };

    /// <summary>The role whose wire name is exactly <paramref name="name"/> (case-sensitive, as issued).</summary>
    public static bool TryParseRole(string? name, out ActorRole role)
    {
        foreach (var candidate in Enum.GetValues<ActorRole>())
        {
            if (string.Equals(RoleName(candidate), name, StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>
    /// The actor that the values of a token's claims describe, or why they describe none. Each claim must appear at
    /// most once: a token with two roles or two provinces is ambiguous, and ambiguity must not grant anything.
    /// </summary>
    /// <param name="subjects">Values of <see cref="Subject"/>.</param>
    /// <param name="roles">Values of <see cref="Role"/>.</param>
    /// <param name="provinces">Values of <see cref="Province"/>.</param>
    /// <param name="actor">The actor, when the claims are well formed.</param>
    /// <param name="problem">Otherwise, what is wrong, for the caller (never a secret).</param>
    public static bool TryRead(
        IReadOnlyCollection<string> subjects,
        IReadOnlyCollection<string> roles,
        IReadOnlyCollection<string> provinces,
        [NotNullWhen(true)] out Actor? actor,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(provinces);
        actor = null;
        if (subjects.Count != 1 || string.IsNullOrWhiteSpace(subjects.First()))
        {
            problem = $"The token must name its subject in exactly one non-empty '{Subject}' claim.";
            return false;
        }

        if (roles.Count != 1)
        {
            problem = $"The token must carry exactly one '{Role}' claim: one of {string.Join(", ", RoleNames)}.";
            return false;
        }

        if (!TryParseRole(roles.First(), out var role))
        {
            problem = $"The token's role is not a role of the registry; expected one of {string.Join(", ", RoleNames)}.";
            return false;
        }

        if (provinces.Count > 1)
        {
            problem = $"The token carries more than one '{Province}' claim.";
            return false;
        }

        var province = provinces.FirstOrDefault();
        return TryCreate(subjects.First(), role, province, out actor, out problem);
    }

    /// <summary>The actor the claims of an authenticated <paramref name="user"/> name, or what is wrong with them.</summary>
    public static bool TryRead(ClaimsPrincipal user, [NotNullWhen(true)] out Actor? actor, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TryRead(ValuesOf(user, Subject), ValuesOf(user, Role), ValuesOf(user, Province), out actor, out problem);
    }

    /// <summary>Whether <paramref name="actor"/> may be written into a token, and if not why.</summary>
    public static bool IsWellFormed(Actor actor, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return TryCreate(actor.Id, actor.Role, actor.ProvinceCode, out _, out problem);
    }

    /// <summary>The claims that name <paramref name="actor"/>, as a token carries them.</summary>
    /// <exception cref="ArgumentException">The actor is not well formed (see <see cref="IsWellFormed"/>).</exception>
    public static IReadOnlyDictionary<string, object> ToClaims(Actor actor)
    {
        if (!IsWellFormed(actor, out var problem))
        {
            throw new ArgumentException(problem, nameof(actor));
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Subject] = actor.Id,
            [Role] = RoleName(actor.Role),
        };
        if (actor.ProvinceCode is { } province)
        {
            claims[Province] = province;
        }

        return claims;
    }

    private static string[] ValuesOf(ClaimsPrincipal user, string type) => [.. user.FindAll(type).Select(claim => claim.Value)];

    private static bool TryCreate(
        string subject, ActorRole role, string? province, [NotNullWhen(true)] out Actor? actor, [NotNullWhen(false)] out string? problem)
    {
        actor = null;
        if (string.IsNullOrWhiteSpace(subject))
        {
            problem = $"The actor's id ('{Subject}') must not be empty.";
            return false;
        }

        if (!Enum.IsDefined(role))
        {
            problem = $"The actor's role is not one of {string.Join(", ", RoleNames)}.";
            return false;
        }

        if (role == ActorRole.Citizen && !PersonalIdNumber.TryParse(subject, out _, out _))
        {
            // A citizen reads their own record only, found by the token's subject: anything but a personal ID number
            // would name nobody, or somebody by accident.
            problem = $"A {RoleName(role)}'s '{Subject}' claim must be their 12-digit personal ID number.";
            return false;
        }

        if (role == ActorRole.ProvincialOfficer)
        {
            if (string.IsNullOrEmpty(province))
            {
                problem = $"A {RoleName(role)} must carry the '{Province}' claim: the 3-digit code of the province they write for.";
                return false;
            }

            if (!ProvinceCatalog.IsKnown(province))
            {
                // The value is not repeated: it came from outside and ends up in a response header.
                problem = $"The '{Province}' claim is not one of the 63 province codes (3 digits, e.g. 001).";
                return false;
            }
        }
        else if (province is not null)
        {
            // Only a provincial officer is bound to a province; a province on any other role would suggest a limit
            // that nothing enforces.
            problem = $"Only a {RoleName(ActorRole.ProvincialOfficer)} carries a '{Province}' claim, not a {RoleName(role)}.";
            return false;
        }

        actor = new Actor(subject, role, province);
        problem = null;
        return true;
    }
}
