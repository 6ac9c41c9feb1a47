using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Registry.Contracts.Access;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>The <see cref="Actor"/> behind an authenticated request, read from its token's claims.</summary>
public static class ActorPrincipal
{
    /// <summary>
    /// The actor the caller's token names. Authentication already refused tokens whose claims name no actor, so on an
    /// endpoint that requires authorization this cannot fail; elsewhere it throws rather than guess.
    /// </summary>
    /// <exception cref="InvalidOperationException">The caller is anonymous, or their claims do not name exactly one actor.</exception>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException("The caller is anonymous and so is no actor; the endpoint must require authorization.");
        }

        return user.TryReadActor(out var actor, out var problem)
            ? actor
            : throw new InvalidOperationException($"The caller's claims do not name an actor: {problem}");
    }

    /// <summary>The actor the claims name, or what is wrong with them; the rules are <see cref="ActorClaims.TryRead(ClaimsPrincipal, out Actor?, out string?)"/>.</summary>
    public static bool TryReadActor(this ClaimsPrincipal user, [NotNullWhen(true)] out Actor? actor, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ActorClaims.TryRead(user, out actor, out problem);
    }
}
