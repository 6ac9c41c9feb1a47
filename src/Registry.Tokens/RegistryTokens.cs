using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Registry.Contracts.Access;

namespace Registry.Tokens;

/// <summary>
/// Issues the registry's bearer tokens (JWT, HMAC-SHA256) and states the rules they are checked by. Operators mint
/// them with <c>Registry.Admin token</c>; tests mint them here too, so a test token is exactly what an operator gets.
/// </summary>
public sealed class RegistryTokens
{
    /// <summary>The only signing algorithm issued or accepted; anything else (including <c>none</c>) is refused.</summary>
    public const string Algorithm = SecurityAlgorithms.HmacSha256;

    /// <summary>
    /// Tolerated clock difference between the issuer and the API. Both run on NTP-synchronised servers; the library's
    /// default of five minutes would keep every expired token usable that much longer.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Longest lifetime a token may be given: a working week, so that a lost token does not stay valid for long.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(7);

    private readonly RegistryAuthOptions _options;
    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _time;

    /// <summary>An issuer signing with the key of <paramref name="options"/>, dating tokens by <paramref name="time"/>.</summary>
    /// <exception cref="InvalidOperationException">The options are not valid; the message names each bad key.</exception>
    public RegistryTokens(RegistryAuthOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _credentials = new SigningCredentials(options.CreateSigningKey(), Algorithm);
        _options = options;
        _time = time;
    }

    /// <summary>Algorithms accepted from the external issuer: RSA and elliptic-curve signatures, never a shared secret.</summary>
    public static IReadOnlyList<string> ExternalAlgorithms { get; } = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>
    /// The rules every host checks the registry's own tokens by: signature with the key, the one algorithm, issuer,
    /// audience, and a lifetime that has begun, has not ended and is no longer than the configured maximum.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are not valid; the message names each bad key.</exception>
    public static TokenValidationParameters ValidationParameters(RegistryAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parameters = CommonParameters(options);
        // Without a key (an external issuer only) no token verifies here, and each is refused as signed with a foreign key.
        parameters.IssuerSigningKey = options.HasSigningKey ? options.CreateSigningKey() : null;
        parameters.ValidAlgorithms = [Algorithm];
        parameters.ValidIssuer = options.Issuer;
        return parameters;
    }

    /// <summary>
    /// The rules for tokens of the external OpenID Connect issuer: the same audience, lifetime and claims as the
    /// registry's own, signed with RS256 or ES256 by a key of the issuer's published set; the issuer's name and keys
    /// come from its metadata (JwtBearer's configuration manager fills them in).
    /// </summary>
    public static TokenValidationParameters ExternalValidationParameters(RegistryAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parameters = CommonParameters(options);
        parameters.ValidAlgorithms = ExternalAlgorithms;
        return parameters;
    }

    private static TokenValidationParameters CommonParameters(RegistryAuthOptions options) => new()
    {
        ValidateIssuerSigningKey = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidAudience = options.Audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = NoLongerThan(options.MaximumLifetime),
        NameClaimType = ActorClaims.Subject,
        RoleClaimType = ActorClaims.Role,
    };

    /// <summary>
    /// The library's lifetime checks (expired, not yet valid, no expiry), then the registry's own: a token must say
    /// when it was made ('iat' or 'nbf'), and live no longer than <paramref name="maximum"/> from the earlier of the two.
    /// The earlier, because a token is as dangerous as the longest reading of its lifetime; one without either could
    /// have been made at any time, so its lifetime cannot be bounded and it is refused.
    /// </summary>
    private static LifetimeValidator NoLongerThan(TimeSpan maximum) => (notBefore, expires, token, parameters) =>
    {
        var library = parameters.Clone();
        library.LifetimeValidator = null;
        Validators.ValidateLifetime(notBefore, expires, token, library);

        // JsonWebToken reads an absent 'iat' as DateTime.MinValue.
        DateTime? issuedAt = token is JsonWebToken { IssuedAt: var iat } && iat != DateTime.MinValue ? iat : null;
        var madeAt = (issuedAt, notBefore) switch
        {
            ({ } issued, { } valid) => issued < valid ? issued : valid,
            _ => issuedAt ?? notBefore,
        };
        if (madeAt is null)
        {
            throw new TokenLifetimeException("The token says neither when it was issued ('iat') nor from when it is valid ('nbf'), so its lifetime cannot be bounded.");
        }

        var lifetime = expires!.Value - madeAt.Value;
        if (lifetime > maximum)
        {
            throw new TokenLifetimeException(string.Create(
                CultureInfo.InvariantCulture,
                $"The token is valid for {lifetime.TotalHours:0.#} hours; this registry accepts tokens valid for at most {maximum.TotalHours:0.#} hours."));
        }

        return true;
    };

    /// <summary>A signed token for <paramref name="actor"/>, valid from now for <paramref name="lifetime"/>.</summary>
    /// <exception cref="ArgumentException">The actor is not well formed, e.g. a provincial officer without a known province.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The lifetime is not positive, or exceeds <see cref="MaximumLifetime"/> or the configured maximum, so the API would refuse the token.
    /// </exception>
    public string Issue(Actor actor, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var maximum = _options.MaximumLifetime < MaximumLifetime ? _options.MaximumLifetime : MaximumLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A token lives more than zero and at most {maximum.TotalHours:F0} hours.");
        }

        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = ActorClaims.ToClaims(actor).ToDictionary(),
            SigningCredentials = _credentials,
        });
    }
}
