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

    /// <summary>The rules the API checks every token by: signature, algorithm, issuer, audience and lifetime.</summary>
    /// <exception cref="InvalidOperationException">The options are not valid; the message names each bad key.</exception>
    public static TokenValidationParameters ValidationParameters(RegistryAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TokenValidationParameters
        {
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = options.CreateSigningKey(),
            ValidAlgorithms = [Algorithm],
            ValidateIssuer = true,
            ValidIssuer = options.Issuer,
            ValidateAudience = true,
            ValidAudience = options.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            NameClaimType = ActorClaims.Subject,
            RoleClaimType = ActorClaims.Role,
        };
    }

    /// <summary>A signed token for <paramref name="actor"/>, valid from now for <paramref name="lifetime"/>.</summary>
    /// <exception cref="ArgumentException">The actor is not well formed, e.g. a provincial officer without a known province.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not positive or exceeds <see cref="MaximumLifetime"/>.</exception>
    public string Issue(Actor actor, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (lifetime <= TimeSpan.Zero || lifetime > MaximumLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A token lives more than zero and at most {MaximumLifetime.TotalHours:F0} hours.");
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
