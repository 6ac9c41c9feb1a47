using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Registry.Tokens;

namespace Registry.Api.Tests.Hosting;

/// <summary>Token settings for a test host, and tokens that <see cref="RegistryTokens"/> would never issue.</summary>
internal static class TestTokens
{
    /// <summary>Settings with a fresh random key, so that no key is ever written in the repository.</summary>
    public static RegistryAuthOptions NewSettings(string issuer = "registry-tests", string audience = "registry-api-tests") =>
        new() { Issuer = issuer, Audience = audience, SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    /// <summary>
    /// A token with exactly <paramref name="claims"/>, correctly signed with the host's key, issuer and audience: what
    /// a careless or hostile issuer holding the key could make. Unsigned (<c>alg: none</c>) when <paramref name="sign"/> is false.
    /// </summary>
    public static string Forge(RegistryAuthOptions settings, IDictionary<string, object> claims, bool sign = true)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = sign ? new SigningCredentials(settings.CreateSigningKey(), RegistryTokens.Algorithm) : null,
        });
    }

    /// <summary>A clock stopped at <paramref name="now"/>, to issue tokens as if it were then.</summary>
    public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
