using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Tokens;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>Every caller is authenticated: a request without a valid token is refused with 401 and changes nothing.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RefusedTokensTests(ApiFixture api)
{
    /// <summary>No Authorization header: 401 problem details telling how to send a token; nothing is stored.</summary>
    [Fact]
    public async Task Registering_without_a_token_is_refused_with_401()
    {
        var before = await api.SnapshotAsync();
        using var anonymous = api.AnonymousClient();

        using var response = await ApiFixture.RegisterAsync(anonymous, ApiFixture.NewIdempotencyKey(), Registrations.Valid().ToJson());

        await AccessAssert.UnauthenticatedAsync(response, "Authorization: Bearer");
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>Reads need a token too, whether or not what they ask for exists.</summary>
    [Theory]
    [InlineData("/residents/079190000001")]
    [InlineData("/provinces/079")]
    [InlineData("/no-such-route")]
    public async Task Reading_without_a_token_is_refused_with_401(string path)
    {
        using var anonymous = api.AnonymousClient();

        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        await AccessAssert.UnauthenticatedAsync(response);
    }

    /// <summary>A token that is expired, forged, unsigned or meant for someone else is refused with 401 saying which; nothing is stored.</summary>
    [Theory]
    [InlineData("expired an hour ago", "expired")]
    [InlineData("signed with another key", "signature")]
    [InlineData("from another issuer", "issuer")]
    [InlineData("for another audience", "audience")]
    [InlineData("unsigned (alg none)", "")]
    [InlineData("not a JWT at all", "")]
    public async Task An_invalid_token_is_refused_with_401(string fault, string detailPart)
    {
        var administrator = TestActors.Administrator;
        var hour = TimeSpan.FromHours(1);
        var token = fault switch
        {
            "expired an hour ago" => new RegistryTokens(api.Auth, new TestTokens.StoppedClock(DateTimeOffset.UtcNow - 2 * hour)).Issue(administrator, hour),
            "signed with another key" => new RegistryTokens(TestTokens.NewSettings(api.Auth.Issuer!, api.Auth.Audience!), TimeProvider.System).Issue(administrator, hour),
            "from another issuer" => new RegistryTokens(WithKeyOfHost(issuer: "someone-else"), TimeProvider.System).Issue(administrator, hour),
            "for another audience" => new RegistryTokens(WithKeyOfHost(audience: "another-api"), TimeProvider.System).Issue(administrator, hour),
            "unsigned (alg none)" => TestTokens.Forge(api.Auth, ActorClaims.ToClaims(administrator).ToDictionary(), sign: false),
            "not a JWT at all" => "let-me-in",
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };

        await AssertRefusedAsync(token, detailPart);
    }

    /// <summary>
    /// A token signed with the real key is still refused (401 saying why, nothing stored) when it lives longer than the
    /// maximum (a week), does not say when it was made, or is signed with another HMAC than HS256.
    /// </summary>
    [Theory]
    [InlineData("valid for ten years", "at most 168 hours")]
    [InlineData("valid for eight days", "at most 168 hours")]
    [InlineData("without iat or nbf", "cannot be bounded")]
    [InlineData("signed HS384 with the real key", "algorithm")]
    [InlineData("signed HS512 with the real key", "algorithm")]
    public async Task A_token_signed_with_the_real_key_but_breaking_a_rule_is_refused_with_401(string fault, string detailPart)
    {
        var claims = ActorClaims.ToClaims(TestActors.Administrator).ToDictionary();
        var token = fault switch
        {
            "valid for ten years" => TestTokens.Forge(api.Auth, claims, lifetime: TimeSpan.FromDays(3653)),
            "valid for eight days" => TestTokens.Forge(api.Auth, claims, lifetime: TimeSpan.FromDays(8)),
            "without iat or nbf" => TestTokens.Forge(api.Auth, claims, dated: false),
            "signed HS384 with the real key" => TestTokens.SignWithOtherHmac(api.Auth, claims, SecurityAlgorithms.HmacSha384),
            "signed HS512 with the real key" => TestTokens.SignWithOtherHmac(api.Auth, claims, SecurityAlgorithms.HmacSha512),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };

        await AssertRefusedAsync(token, detailPart, fault);
    }

    /// <summary>A token of exactly the maximum lifetime, as the token command mints at most, is accepted.</summary>
    [Fact]
    public async Task A_token_of_the_maximum_lifetime_is_accepted()
    {
        using var client = api.ClientWithToken(api.Tokens.Issue(TestActors.Administrator, RegistryTokens.MaximumLifetime));

        using var read = await client.GetAsync(new Uri("/provinces/079", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, read.StatusCode);
    }

    /// <summary>
    /// A correctly signed token whose claims name no actor of the registry is refused at authentication (401), so no
    /// endpoint ever sees a caller without a role, or an officer without a known province.
    /// </summary>
    [Theory]
    [InlineData("role unknown to the registry", """{"sub":"x","role":"superuser"}""")]
    [InlineData("no role", """{"sub":"x"}""")]
    [InlineData("two roles", """{"sub":"x","role":["citizen","central-administrator"]}""")]
    [InlineData("no subject", """{"role":"central-administrator"}""")]
    [InlineData("provincial officer without a province", """{"sub":"x","role":"provincial-officer"}""")]
    [InlineData("provincial officer of unknown province 999", """{"sub":"x","role":"provincial-officer","province":"999"}""")]
    [InlineData("provincial officer of two provinces", """{"sub":"x","role":"provincial-officer","province":["001","079"]}""")]
    [InlineData("central administrator with a province", """{"sub":"x","role":"central-administrator","province":"001"}""")]
    public async Task A_token_naming_no_actor_is_refused_with_401(string fault, string claimsJson)
    {
        // Strings and arrays of strings, as a JWT carries them.
        var claims = JsonDocument.Parse(claimsJson).RootElement.EnumerateObject().ToDictionary(
            claim => claim.Name,
            claim => claim.Value.ValueKind == JsonValueKind.Array
                ? (object)claim.Value.EnumerateArray().Select(value => value.GetString()!).ToList()
                : claim.Value.GetString()!);

        await AssertRefusedAsync(TestTokens.Forge(api.Auth, claims), "", fault);
    }

    private RegistryAuthOptions WithKeyOfHost(string? issuer = null, string? audience = null) =>
        new() { Issuer = issuer ?? api.Auth.Issuer, Audience = audience ?? api.Auth.Audience, SigningKey = api.Auth.SigningKey };

    private async Task AssertRefusedAsync(string token, string detailPart, string? fault = null)
    {
        var before = await api.SnapshotAsync();
        using var client = api.ClientWithToken(token);

        using var registration = await ApiFixture.RegisterAsync(client, ApiFixture.NewIdempotencyKey(), Registrations.Valid().ToJson());
        using var read = await client.GetAsync(new Uri("/provinces/079", UriKind.Relative));

        await AccessAssert.UnauthenticatedAsync(registration, detailPart);
        await AccessAssert.UnauthenticatedAsync(read, detailPart);
        Assert.True(before == await api.SnapshotAsync(), $"{fault ?? detailPart}: a refused request changed the registry");
    }
}
