using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Registry.Contracts.Access;
using Registry.Tokens;

namespace Registry.ServiceDefaults;

/// <summary>
/// How every host (API and silos) authenticates a caller, so that the rules exist once: a bearer token either of the
/// registry's own (HS256 with <c>Registry:Auth:SigningKey</c>) or of the external OpenID Connect issuer
/// (<c>Registry:Auth:Authority</c>, RS256/ES256), checked by <see cref="RegistryTokens"/>' rules, and refused at
/// authentication unless its claims name an <see cref="Actor"/>.
/// </summary>
public static class BearerAuthentication
{
    /// <summary>The default scheme: reads the token's issuer and forwards to the scheme that checks that issuer's tokens.</summary>
    public const string Scheme = "registry";

    /// <summary>Tokens the registry signs itself.</summary>
    public const string LocalScheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>Tokens of the external OpenID Connect issuer.</summary>
    public const string ExternalScheme = "external-issuer";

    /// <summary>The operator role only: the dashboard and, where there is one, metrics.</summary>
    public const string OperatorPolicy = "registry.operate";

    /// <summary>
    /// Adds the schemes, checked <see cref="RegistryAuthOptions"/>, and <see cref="OperatorPolicy"/>.
    /// <paramref name="challenge"/>, when given, answers 401s (the API writes problem details there).
    /// </summary>
    public static AuthenticationBuilder AddRegistryBearerTokens(this IServiceCollection services, Func<JwtBearerChallengeContext, Task>? challenge = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RegistryAuthOptions>().BindConfiguration(RegistryAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Registry bearer tokens", scheme => scheme.ForwardDefaultSelector = SchemeOfIssuer)
            .AddJwtBearer(LocalScheme)
            .AddJwtBearer(ExternalScheme);
        services.AddOptions<JwtBearerOptions>(LocalScheme).Configure<IOptions<RegistryAuthOptions>>((bearer, auth) =>
        {
            Common(bearer, challenge);
            bearer.TokenValidationParameters = RegistryTokens.ValidationParameters(auth.Value);
        });
        services.AddOptions<JwtBearerOptions>(ExternalScheme).Configure<IOptions<RegistryAuthOptions>>((bearer, auth) =>
        {
            Common(bearer, challenge);
            bearer.TokenValidationParameters = RegistryTokens.ExternalValidationParameters(auth.Value);
            var options = auth.Value;
            if (options.HasExternalIssuer)
            {
                // JwtBearer fetches the metadata and the key set, caches them, and fetches again when a token names a
                // key it has not seen (the issuer rotated its keys).
                bearer.Authority = Blank(options.Authority);
                bearer.MetadataAddress = Blank(options.MetadataAddress) ?? string.Empty;
                bearer.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }
        });
        services.AddAuthorizationBuilder().AddPolicy(OperatorPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireRole(ActorClaims.RoleName(ActorRole.Operator)));
        return authentication;
    }

    /// <summary>
    /// The registry's own tokens name its issuer; every other token goes to the external issuer's scheme when there is
    /// one, which refuses issuers other than the one its metadata names. The issuer is read unverified here only to
    /// choose the rules: the chosen scheme then verifies everything, issuer included.
    /// </summary>
    private static string SchemeOfIssuer(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<IOptions<RegistryAuthOptions>>().Value;
        if (!auth.HasExternalIssuer)
        {
            return LocalScheme;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return LocalScheme;
        }

        var token = header[Prefix.Length..].Trim();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token))
        {
            return LocalScheme;
        }

        try
        {
            return string.Equals(handler.ReadJsonWebToken(token).Issuer, auth.Issuer, StringComparison.Ordinal) ? LocalScheme : ExternalScheme;
        }
        catch (ArgumentException)
        {
            // Unreadable: the local scheme refuses it with its reason.
            return LocalScheme;
        }
    }

    private static void Common(JwtBearerOptions bearer, Func<JwtBearerChallengeContext, Task>? challenge)
    {
        // Keep 'sub', 'role' and 'province' as issued; the default would rename them to long SOAP-era URIs.
        bearer.MapInboundClaims = false;
        bearer.Events = new JwtBearerEvents { OnTokenValidated = RefuseTokensNamingNoActor };
        if (challenge is not null)
        {
            bearer.Events.OnChallenge = challenge;
        }
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
        else if (!ActorClaims.TryRead(context.Principal, out _, out var problem))
        {
            context.Fail(problem);
        }

        return Task.CompletedTask;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
