using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>
/// Who may call the API: bearer tokens (JWT) checked against <c>Registry:Auth</c>, an actor read from each token's
/// claims, and the <see cref="RegistryPolicies"/>. Every endpoint needs a token unless it allows anonymous callers.
/// </summary>
public static partial class AccessHosting
{
    /// <summary>Adds token authentication, the authorization policies, their problem answers and their OpenAPI description.</summary>
    public static WebApplicationBuilder AddRegistryAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RegistryAuthOptions>().BindConfiguration(RegistryAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<RegistryAuthOptions>>((bearer, auth) =>
            {
                // Keep 'sub', 'role' and 'province' as issued; the default would rename them to long SOAP-era URIs.
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = RegistryTokens.ValidationParameters(auth.Value);
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = RefuseTokensNamingNoActor,
                    OnChallenge = AccessProblems.WriteChallengeAsync,
                };
            });

        services.AddAuthorizationBuilder().AddRegistryPolicies();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblems.ForbiddenAsProblem>();
        services.ConfigureAll<OpenApiOptions>(openApi =>
        {
            openApi.AddDocumentTransformer<BearerSecurityScheme>();
            openApi.AddOperationTransformer<BearerSecurityScheme>();
        });
        return builder;
    }

    /// <summary>Authenticates every request and enforces the policies; call after the error handling middleware.</summary>
    public static WebApplication UseRegistryAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var auth = app.Services.GetRequiredService<IOptions<RegistryAuthOptions>>().Value;
            LogAccepting(app.Logger, auth.Issuer, auth.Audience);
        });
        return app;
    }

    /// <summary>
    /// A correctly signed token whose claims name no actor (unknown role, an officer without a known province, …) is
    /// refused here, at authentication, so that it gets a 401 and no endpoint ever sees it.
    /// </summary>
    private static Task RefuseTokensNamingNoActor(TokenValidatedContext context)
    {
        if (context.Principal is null)
        {
            context.Fail("The token names no caller.");
        }
        else if (!context.Principal.TryReadActor(out _, out var problem))
        {
            context.Fail(problem);
        }

        return Task.CompletedTask;
    }

    // The signing key is never logged: only who issues tokens and for whom.
    [LoggerMessage(Level = LogLevel.Information, Message = "Accepting bearer tokens issued by {Issuer} for audience {Audience}")]
    private static partial void LogAccepting(ILogger logger, string? issuer, string? audience);
}
