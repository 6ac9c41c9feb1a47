using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.IdentityModel.Tokens;

namespace Registry.Tokens;

/// <summary>
/// Settings of the registry's bearer tokens, bound from <see cref="SectionName"/>: who issues them, whom they are for,
/// the HMAC key that signs the registry's own tokens, the longest lifetime accepted, and optionally an external
/// OpenID Connect issuer (the national eID provider) whose RS256/ES256 tokens are accepted too. The same keys configure
/// the API and the silos that check tokens and the tool that mints them.
/// </summary>
/// <remarks>
/// A class rather than a record so that nothing prints the key by accident: its <see cref="object.ToString"/> shows
/// the type name only, and no message of <see cref="Validate"/> quotes a value of <see cref="SigningKey"/>.
/// </remarks>
public sealed class RegistryAuthOptions : IValidatableObject
{
    /// <summary>The configuration section, e.g. <c>Registry__Auth__SigningKey</c> as an environment variable.</summary>
    public const string SectionName = "Registry:Auth";

    /// <summary>HMAC-SHA256 is only as strong as its key; RFC 7518 §3.2 asks for at least the hash's 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The <c>iss</c> every token carries and the API insists on, e.g. <c>registry-local</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token carries and the API insists on, e.g. <c>registry-api</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Base64 of at least <see cref="MinimumKeyBytes"/> random bytes; a secret, never logged or shown. Optional when an
    /// external issuer is configured: a deployment whose tokens all come from it then holds no secret that mints tokens.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Longest lifetime a token may have (its expiry minus the earlier of its 'iat' and 'nbf'), whoever signed it: a
    /// leaked token is refused at the latest this long after it was made. Default <see cref="RegistryTokens.MaximumLifetime"/>.
    /// </summary>
    public TimeSpan MaximumLifetime { get; set; } = RegistryTokens.MaximumLifetime;

    /// <summary>
    /// The external OpenID Connect issuer's URL, e.g. <c>https://eid.example.gov.vn</c>; its metadata is read from
    /// <c>/.well-known/openid-configuration</c> below it, and its signing keys from the metadata's <c>jwks_uri</c>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The external issuer's metadata document, when it is not at the usual place below <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// Metadata and keys are fetched over HTTPS only (default). False admits http, and only from a loopback address
    /// (tests, an issuer on the same host): keys fetched in clear over a network could be replaced on the way.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether tokens of an external OpenID Connect issuer are accepted.</summary>
    public bool HasExternalIssuer => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress);

    /// <summary>Whether the registry's own HMAC-signed tokens are accepted (and can be minted).</summary>
    public bool HasSigningKey => !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>The full configuration key of a property, e.g. <c>Registry:Auth:SigningKey</c>.</summary>
    public static string KeyOf(string property) => $"{SectionName}:{property}";

    /// <summary>What is missing or wrong, one message per setting naming its key; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            problems.Add(Missing(nameof(Issuer), "the name tokens carry as their issuer ('iss'), e.g. registry-local"));
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            problems.Add(Missing(nameof(Audience), "the name tokens carry as their audience ('aud'), e.g. registry-api"));
        }

        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            if (!HasExternalIssuer)
            {
                problems.Add(Missing(
                    nameof(SigningKey),
                    $"the base64 of at least {MinimumKeyBytes} random bytes, e.g. from `openssl rand -base64 32`, or configure an external issuer in {KeyOf(nameof(Authority))}"));
            }
        }
        else if (!TryDecodeKey(SigningKey, out var key))
        {
            problems.Add($"{KeyOf(nameof(SigningKey))} is not valid base64 (its value is not shown).");
        }
        else if (key.Length < MinimumKeyBytes)
        {
            problems.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{KeyOf(nameof(SigningKey))} decodes to {key.Length} bytes; signing with HMAC-SHA256 needs at least {MinimumKeyBytes} (e.g. `openssl rand -base64 32`)."));
        }

        if (MaximumLifetime <= TimeSpan.Zero)
        {
            problems.Add($"{KeyOf(nameof(MaximumLifetime))} must be positive, e.g. 7.00:00:00 for a week.");
        }

        CheckMetadataUrl(nameof(Authority), Authority, problems);
        CheckMetadataUrl(nameof(MetadataAddress), MetadataAddress, problems);
        return problems;
    }

    /// <summary>The same messages for the API's start-up check, which refuses to start while any is left.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        Validate().Select(static problem => new ValidationResult(problem));

    /// <summary>The key that signs and checks tokens.</summary>
    /// <exception cref="InvalidOperationException">The settings are not valid; the message lists why.</exception>
    public SymmetricSecurityKey CreateSigningKey()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The token settings are not usable: " + string.Join(" ", problems));
        }

        _ = TryDecodeKey(SigningKey!, out var key);
        return new SymmetricSecurityKey(key);
    }

    /// <summary>The signing keys of the external issuer are only as trustworthy as the channel they are fetched over.</summary>
    private void CheckMetadataUrl(string property, string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{KeyOf(property)} must be an absolute https URL, e.g. https://eid.example.gov.vn.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && RequireHttpsMetadata)
        {
            problems.Add($"{KeyOf(property)} must use https; http is admitted only on loopback with {KeyOf(nameof(RequireHttpsMetadata))} set to false.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            problems.Add($"{KeyOf(property)} uses http on a host other than loopback: the issuer's keys could be replaced on the way; use https.");
        }
    }

    private static string Missing(string property, string what)
    {
        var key = KeyOf(property);
        return $"{key} is missing: set it to {what} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}).";
    }

    private static bool TryDecodeKey(string text, out byte[] key)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text.Trim(), buffer, out var written))
        {
            key = buffer[..written];
            return true;
        }

        key = [];
        return false;
    }
}
