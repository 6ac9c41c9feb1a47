using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>
/// 401 and 403 as problem details (RFC 9457), like every other error of the API, saying why. The 401 is written when
/// the bearer handler challenges, because only it knows what was wrong with the token; the 403 when authorization
/// forbids, because only it knows which roles the endpoint admits.
/// </summary>
public static class AccessProblems
{
    /// <summary>Title of every 401.</summary>
    public const string UnauthenticatedTitle = "A valid bearer token is required; nothing was read or changed.";

    /// <summary>Title of every 403.</summary>
    public const string ForbiddenTitle = "The caller's role may not make this request; nothing was read or changed.";

    /// <summary>Answers a challenge with 401, <c>WWW-Authenticate: Bearer</c> (RFC 6750) and a problem saying why.</summary>
    internal static async Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status401Unauthorized;
        // A request without a token gets a bare challenge; RFC 6750 §3.1 keeps error codes for tokens that were sent.
        response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? JwtBearerDefaults.AuthenticationScheme
            : $"{JwtBearerDefaults.AuthenticationScheme} error=\"invalid_token\"";
        await WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, UnauthenticatedTitle, Explain(context.AuthenticateFailure));
    }

    /// <summary>Why a token was refused, in the caller's terms; the library's messages name internals and keys.</summary>
    internal static string Explain(Exception? failure) => failure switch
    {
        null => "Send the header 'Authorization: Bearer <token>'. Operators mint tokens with `Registry.Admin token` (see the README).",
        SecurityTokenExpiredException => "The token has expired; get a new one.",
        SecurityTokenNotYetValidException => "The token is not valid yet; check the issuer's clock.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
            "The token's signature does not verify: it was not signed with a key and algorithm this registry trusts.",
        SecurityTokenInvalidIssuerException => "The token was issued by someone other than this registry's issuer.",
        SecurityTokenInvalidAudienceException => "The token is meant for another audience than this API.",
        SecurityTokenInvalidAlgorithmException =>
            $"The token is signed with an algorithm this registry does not accept: {RegistryTokens.Algorithm} for its own tokens, {string.Join(" or ", RegistryTokens.ExternalAlgorithms)} for the identity provider's.",
        // The registry's own rule; its message says how long the token lives and the maximum, nothing secret.
        TokenLifetimeException lifetime => lifetime.Message,
        SecurityTokenNoExpirationException => "The token has no expiry time.",
        // Raised by the claim check after validation (AccessHosting); its message is ours and names no value.
        AuthenticationFailureException ours => ours.Message,
        _ => "The token could not be read as a signed JWT.",
    };

    /// <summary>A problem with the status, title and detail, if the caller accepts JSON (otherwise the status alone).</summary>
    internal static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// Writes 403s as problems naming the roles the endpoint admits; everything else (challenges, success) goes to the
    /// framework's own handler.
    /// </summary>
    internal sealed class ForbiddenAsProblem : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _framework = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(authorizeResult);
            if (!authorizeResult.Forbidden)
            {
                return _framework.HandleAsync(next, context, policy, authorizeResult);
            }

            // The bearer handler's own forbid would only set the status; answering here can say which roles are needed.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return WriteAsync(context, StatusCodes.Status403Forbidden, ForbiddenTitle, Explain(context, authorizeResult.AuthorizationFailure));
        }

        private static string Explain(HttpContext context, AuthorizationFailure? failure)
        {
            // Authentication checked the role claim already, so it is one of the registry's role names.
            var role = context.User.FindFirst(ActorClaims.Role)?.Value ?? "none";
            var needed = failure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(requirement => requirement.AllowedRoles).ToList();
            return needed is { Count: > 0 }
                ? $"{context.Request.Method} {context.Request.Path} needs the role {string.Join(" or ", needed)}; the token's role is {role}."
                : $"{context.Request.Method} {context.Request.Path} is not allowed for the role {role}.";
        }
    }
}
