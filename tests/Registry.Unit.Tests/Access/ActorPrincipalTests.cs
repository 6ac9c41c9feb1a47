using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Registry.Api.Access;
using Registry.Contracts.Access;
using Registry.Tokens;

namespace Registry.Unit.Tests.Access;

/// <summary>The actor read from a caller's claims: one subject, one known role, and a known province for officers only.</summary>
public sealed class ActorPrincipalTests
{
    /// <summary>Each role's wire name maps to its <see cref="ActorRole"/>, with the officer's province.</summary>
    [Theory]
    [InlineData("staff-42", "provincial-officer", "079", ActorRole.ProvincialOfficer)]
    [InlineData("staff-42", "central-administrator", null, ActorRole.CentralAdministrator)]
    [InlineData("ministry-of-health", "ministry-partner", null, ActorRole.MinistryPartner)]
    [InlineData("001090000001", "citizen", null, ActorRole.Citizen)]
    [InlineData("ops-7", "operator", null, ActorRole.Operator)]
    public void Claims_map_to_the_actor(string subject, string role, string? province, ActorRole expected)
    {
        var user = Caller(("sub", subject), ("role", role), ("province", province));

        Assert.Equal(new Actor(subject, expected, province), user.ToActor());
    }

    /// <summary>Claims that name no single actor of the registry throw, saying what is wrong.</summary>
    [Theory]
    [InlineData("no subject", null, "central-administrator", null)]
    [InlineData("empty subject", " ", "central-administrator", null)]
    [InlineData("no role", "x", null, null)]
    [InlineData("unknown role", "x", "administrator", null)]
    [InlineData("role in other case", "x", "Citizen", null)]
    [InlineData("officer without province", "x", "provincial-officer", null)]
    [InlineData("officer of unknown province", "x", "provincial-officer", "999")]
    [InlineData("citizen with a province", "001090000001", "citizen", "001")]
    [InlineData("citizen named by no personal ID number", "x", "citizen", null)]
    [InlineData("citizen named by a number of no province", "999090000001", "citizen", null)]
    [InlineData("operator with a province", "ops-7", "operator", "001")]
    public void Malformed_claims_throw(string fault, string? subject, string? role, string? province)
    {
        var user = Caller(("sub", subject), ("role", role), ("province", province));

        var refused = Assert.Throws<InvalidOperationException>(user.ToActor);

        Assert.True(refused.Message.StartsWith("The caller's claims do not name an actor", StringComparison.Ordinal), $"{fault}: {refused.Message}");
    }

    /// <summary>Two roles are ambiguous, so they name no actor even when one of them would.</summary>
    [Fact]
    public void Two_roles_name_no_actor()
    {
        var user = Caller(("sub", "x"), ("role", "citizen"), ("role", "central-administrator"));

        Assert.False(user.TryReadActor(out _, out var problem));
        Assert.Contains("exactly one 'role'", problem, StringComparison.Ordinal);
    }

    /// <summary>An anonymous caller is no actor.</summary>
    [Fact]
    public void An_anonymous_caller_throws()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "x"), new Claim("role", "citizen")]));

        Assert.Throws<InvalidOperationException>(anonymous.ToActor);
    }

    /// <summary>A token from <see cref="RegistryTokens"/>, validated by the API's rules, reads back as the same actor.</summary>
    [Fact]
    public async Task An_issued_token_reads_back_as_its_actor()
    {
        var settings = new RegistryAuthOptions { Issuer = "i", Audience = "a", SigningKey = Convert.ToBase64String(new byte[32]) };
        var actor = new Actor("officer-7", ActorRole.ProvincialOfficer, "001");
        var token = new RegistryTokens(settings, TimeProvider.System).Issue(actor, TimeSpan.FromMinutes(5));

        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        var result = await handler.ValidateTokenAsync(token, RegistryTokens.ValidationParameters(settings));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(actor, new ClaimsPrincipal(result.ClaimsIdentity).ToActor());
    }

    /// <summary>Refuses to issue what the API would refuse: an officer without a known province, or a lifetime beyond a week.</summary>
    [Fact]
    public void Tokens_are_only_issued_for_well_formed_actors()
    {
        var settings = new RegistryAuthOptions { Issuer = "i", Audience = "a", SigningKey = Convert.ToBase64String(new byte[32]) };
        var tokens = new RegistryTokens(settings, TimeProvider.System);

        Assert.Throws<ArgumentException>(() => tokens.Issue(new Actor("x", ActorRole.ProvincialOfficer, null), TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentException>(() => tokens.Issue(new Actor("x", ActorRole.ProvincialOfficer, "999"), TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokens.Issue(new Actor("001090000001", ActorRole.Citizen, null), TimeSpan.FromDays(8)));
    }

    private static ClaimsPrincipal Caller(params (string Type, string? Value)[] claims) =>
        new(new ClaimsIdentity(
            claims.Where(claim => claim.Value is not null).Select(claim => new Claim(claim.Type, claim.Value!)),
            authenticationType: "Bearer",
            nameType: ActorClaims.Subject,
            roleType: ActorClaims.Role));
}
