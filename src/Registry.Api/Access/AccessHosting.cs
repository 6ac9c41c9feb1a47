using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Registry.ServiceDefaults;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>
/// Who may call the API: bearer tokens (JWT) checked against <c>Registry:Auth</c> (<see cref="BearerAuthentication"/>),
/// an actor read from each token's claims, and the <see cref="RegistryPolicies"/>. Every endpoint needs a token unless it allows anonymous callers.
/// </summary>
public static partial class AccessHosting
{
    /// <summary>Adds token authentication, the authorization policies, their problem answers and their OpenAPI description.</summary>
    public static WebApplicationBuilder AddRegistryAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // The token rules are the silos' too (their dashboard): one definition in ServiceDefaults. Here 401s are problems.
        services.AddRegistryBearerTokens(AccessProblems.WriteChallengeAsync);
        services.AddAuthorizationBuilder().AddRegistryPolicies();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblems.ForbiddenAsProblem>();
        services.ConfigureAll<OpenApiOptions>(openApi =>
        {
            openApi.AddDocumentTransformer<BearerSecurityScheme>();
            openApi.AddOperationTransformer<BearerSecurityScheme>();
        });
        return builder;
    }

    /// <summary>
    /// Authenticates every request, spends its client's rate budget, and enforces the policies; call after the error
    /// handling middleware.
    /// </summary>
    public static WebApplication UseRegistryAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        // After authentication, which names the client; before authorization, so that refused requests count too.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var auth = app.Services.GetRequiredService<IOptions<RegistryAuthOptions>>().Value;
            LogAccepting(app.Logger, auth.Issuer, auth.Audience);
            if (auth.HasExternalIssuer)
            {
                LogAcceptingExternal(app.Logger, auth.Authority ?? auth.MetadataAddress);
            }
        });
        return app;
    }

    // The signing key is never logged: only who issues tokens and for whom.
    [LoggerMessage(Level = LogLevel.Information, Message = "Accepting bearer tokens issued by {Issuer} for audience {Audience}")]
    private static partial void LogAccepting(ILogger logger, string? issuer, string? audience);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepting bearer tokens of the external issuer at {Authority} too")]
    private static partial void LogAcceptingExternal(ILogger logger, string? authority);
}
