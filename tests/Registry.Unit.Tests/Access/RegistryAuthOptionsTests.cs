using Registry.Tokens;

namespace Registry.Unit.Tests.Access;

/// <summary>The API refuses to start with unusable token settings, and says which key to fix without showing the secret.</summary>
public sealed class RegistryAuthOptionsTests
{
    private const string SecretLookingKey = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="; // base64 of 20 bytes

    private static RegistryAuthOptions Valid() => new()
    {
        Issuer = "registry-local",
        Audience = "registry-api",
        SigningKey = Convert.ToBase64String(new byte[RegistryAuthOptions.MinimumKeyBytes]),
    };

    /// <summary>Issuer, audience and a 32-byte key pass.</summary>
    [Fact]
    public void Complete_settings_pass() => Assert.Empty(Valid().Validate());

    /// <summary>Each missing setting gets its own message naming the configuration key and the environment variable.</summary>
    [Theory]
    [InlineData(nameof(RegistryAuthOptions.Issuer))]
    [InlineData(nameof(RegistryAuthOptions.Audience))]
    [InlineData(nameof(RegistryAuthOptions.SigningKey))]
    public void A_missing_setting_is_named_with_its_key(string property)
    {
        var options = Valid();
        typeof(RegistryAuthOptions).GetProperty(property)!.SetValue(options, " ");

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith($"Registry:Auth:{property} is missing", problem, StringComparison.Ordinal);
        Assert.Contains($"Registry__Auth__{property}", problem, StringComparison.Ordinal);
    }

    /// <summary>A key that is not base64, or decodes to fewer than 32 bytes, is refused, and no message repeats the value.</summary>
    [Theory]
    [InlineData("not base64!", "is not valid base64")]
    [InlineData(SecretLookingKey, "decodes to 20 bytes")]
    public void A_bad_signing_key_is_refused_without_showing_it(string key, string expected)
    {
        var options = Valid();
        options.SigningKey = key;

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("Registry:Auth:SigningKey", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(key, options.ToString(), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(options.CreateSigningKey);
    }

    /// <summary>An external issuer alone suffices: a deployment whose tokens all come from it holds no signing key.</summary>
    [Fact]
    public void An_external_issuer_without_a_signing_key_passes()
    {
        var options = Valid();
        options.SigningKey = null;
        options.Authority = "https://eid.example.gov.vn";

        Assert.Empty(options.Validate());
    }

    /// <summary>The issuer's keys are fetched over https; http only on loopback, and only when said so.</summary>
    [Theory]
    [InlineData("https://eid.example.gov.vn", true, null)]
    [InlineData("http://127.0.0.1:5001", false, null)]
    [InlineData("http://127.0.0.1:5001", true, "must use https")]
    [InlineData("http://eid.example.gov.vn", false, "other than loopback")]
    [InlineData("ftp://eid.example.gov.vn", true, "must be an absolute https URL")]
    public void The_issuers_metadata_is_fetched_over_https_unless_on_loopback(string authority, bool requireHttps, string? expected)
    {
        var options = Valid();
        options.Authority = authority;
        options.RequireHttpsMetadata = requireHttps;

        var problems = options.Validate();

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(expected, Assert.Single(problems), StringComparison.Ordinal);
        }
    }
}
