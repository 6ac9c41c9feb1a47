using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
    /// a careless or hostile issuer holding the key could make. Unsigned (<c>alg: none</c>) when <paramref name="sign"/> is
    /// false; valid for an hour unless <paramref name="lifetime"/> says otherwise; with neither 'iat' nor 'nbf' when
    /// <paramref name="dated"/> is false.
    /// </summary>
    public static string Forge(
        RegistryAuthOptions settings, IDictionary<string, object> claims, bool sign = true, TimeSpan? lifetime = null, bool dated = true)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = dated }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = dated ? now : null,
            NotBefore = dated ? now : null,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = claims,
            SigningCredentials = sign ? new SigningCredentials(settings.CreateSigningKey(), RegistryTokens.Algorithm) : null,
        });
    }

    /// <summary>
    /// A token signed with the host's own key but with HMAC-SHA384 or -SHA512 (<c>HS384</c>, <c>HS512</c>), made by hand:
    /// the library refuses to sign those with a 256-bit key, but anyone holding the key can compute the HMAC.
    /// </summary>
    public static string SignWithOtherHmac(RegistryAuthOptions settings, IDictionary<string, object> claims, string algorithm)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = settings.Issuer!,
            ["aud"] = settings.Audience!,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
        var signed = $"{Encode(new Dictionary<string, string> { ["alg"] = algorithm, ["typ"] = "JWT" })}.{Encode(payload)}";
        var key = settings.CreateSigningKey().Key;
        var input = Encoding.ASCII.GetBytes(signed);
        var signature = algorithm switch
        {
            SecurityAlgorithms.HmacSha384 => HMACSHA384.HashData(key, input),
            SecurityAlgorithms.HmacSha512 => HMACSHA512.HashData(key, input),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "HS384 or HS512"),
        };
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";

        static string Encode<T>(T part) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(part));
    }

    /// <summary>A clock stopped at <paramref name="now"/>, to issue tokens as if it were then.</summary>
    public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
