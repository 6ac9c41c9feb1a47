using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.IdentityModel.Tokens;

namespace Registry.Tokens;

/// <summary>
/// Settings of the registry's bearer tokens, bound from <see cref="SectionName"/>: who issues them, whom they are for,
/// and the HMAC key that signs them. The same keys configure the API that checks tokens and the tool that mints them.
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

    /// <summary>Base64 of at least <see cref="MinimumKeyBytes"/> random bytes; a secret, never logged or shown.</summary>
    public string? SigningKey { get; set; }

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
            problems.Add(Missing(nameof(SigningKey), $"the base64 of at least {MinimumKeyBytes} random bytes, e.g. from `openssl rand -base64 32`"));
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
