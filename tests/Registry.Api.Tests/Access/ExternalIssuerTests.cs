using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Registry.Api.Tests.Hosting;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Registry.Tokens;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>
/// A deployment's identity provider (the national eID) issues the tokens: an OpenID Connect issuer on loopback serves
/// its metadata and the public half of an RSA key made for this test, and an API host configured with its authority
/// accepts its RS256 tokens, mapped to actors as the registry's own, and refuses tokens signed with another key or
/// naming another issuer. The registry's own tokens keep working beside it.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ExternalIssuerTests(ApiFixture api) : IAsyncLifetime
{
    private const string KeyId = "eid-test-1";
    private readonly RSA _issuerKey = RSA.Create(2048);
    private WebApplication? _issuer;
    private ApiHost? _host;
    private string _authority = "";

    /// <summary>Starts the issuer on a free loopback port, then an API host that trusts it.</summary>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _issuer = builder.Build();
        _issuer.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _authority,
            ["jwks_uri"] = $"{_authority}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        var published = _issuerKey.ExportParameters(includePrivateParameters: false);
        _issuer.MapGet("/jwks", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = SecurityAlgorithms.RsaSha256,
                    ["kid"] = KeyId,
                    ["n"] = Base64UrlEncoder.Encode(published.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(published.Exponent),
                },
            },
        }));
        await _issuer.StartAsync();
        _authority = _issuer.Urls.Single().TrimEnd('/');
        _host = await ApiHost.StartAsync(api, new Dictionary<string, string?>
        {
            [RegistryAuthOptions.KeyOf(nameof(RegistryAuthOptions.Authority))] = _authority,
            // http only because the issuer is on loopback; anywhere else the API refuses to start with it.
            [RegistryAuthOptions.KeyOf(nameof(RegistryAuthOptions.RequireHttpsMetadata))] = "false",
        });
    }

    /// <summary>Stops the API host, then the issuer.</summary>
    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }

        _issuerKey.Dispose();
    }

    /// <summary>An RS256 token of the issuer, signed with its published key, is accepted and names its actor.</summary>
    [Fact]
    public async Task A_token_of_the_configured_issuer_is_accepted()
    {
        using var client = _host!.ClientWithToken(IssuerToken(_issuerKey, _authority, TestActors.Administrator));

        using var response = await client.GetAsync(new Uri("/provinces/079", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The registry's own HS256 tokens are accepted beside the issuer's.</summary>
    [Fact]
    public async Task The_registrys_own_tokens_are_still_accepted()
    {
        using var client = _host!.ClientWithToken(api.Tokens.Issue(TestActors.Administrator, TimeSpan.FromHours(1)));

        using var response = await client.GetAsync(new Uri("/provinces/079", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// A token signed with another RSA key (under the issuer's key id), or naming another issuer, or an issuer token
    /// whose claims name no actor, is refused with 401 saying why; nothing is stored.
    /// </summary>
    [Theory]
    [InlineData("signed with another RSA key", "signature")]
    [InlineData("naming another issuer", "issuer")]
    [InlineData("naming the registry's issuer", "signature")]
    [InlineData("naming no actor", "role")]
    public async Task A_token_the_issuer_did_not_make_for_this_registry_is_refused_with_401(string fault, string detailPart)
    {
        using var otherKey = RSA.Create(2048);
        var token = fault switch
        {
            "signed with another RSA key" => IssuerToken(otherKey, _authority, TestActors.Administrator),
            "naming another issuer" => IssuerToken(_issuerKey, "https://someone-else.example", TestActors.Administrator),
            // An RS256 token claiming to be one of the registry's own is checked by the registry's own rules: its key only.
            "naming the registry's issuer" => IssuerToken(_issuerKey, api.Auth.Issuer!, TestActors.Administrator),
            "naming no actor" => IssuerToken(_issuerKey, _authority, claims: new Dictionary<string, object> { ["sub"] = "someone" }),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };
        var before = await api.SnapshotAsync();
        using var client = _host!.ClientWithToken(token);

        using var response = await client.GetAsync(new Uri("/provinces/079", UriKind.Relative));

        await AccessAssert.UnauthenticatedAsync(response, detailPart);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    private string IssuerToken(RSA key, string issuer, Actor? actor = null, Dictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = api.Auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims ?? ActorClaims.ToClaims(actor!).ToDictionary(),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }
}
