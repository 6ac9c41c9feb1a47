using System.Globalization;
using System.Text;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;

namespace Registry.Contracts.Residents;

/// <summary>
/// The checks a registration passes before anything is stored. Pure: the API runs them at the edge for a
/// fast answer, and the registration grain runs them again because grain calls are an entry point too.
/// </summary>
public static class RegistrationRules
{
    /// <summary>Longest full name accepted, in UTF-16 code units after NFC normalisation.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 100;

    /// <summary>Earliest birth date accepted.</summary>
    public static readonly DateOnly EarliestBirthDate = new(SexCenturyDigit.FirstYear, 1, 1);

    /// <summary>
    /// Checks <paramref name="command"/> and returns it normalised (name in NFC, trimmed) or the errors.
    /// </summary>
    /// <param name="command">The command as received.</param>
    /// <param name="today">Today's date in Vietnam, the latest birth date accepted.</param>
    public static (RegisterResident? Normalised, FieldError[] Errors) Check(RegisterResident command, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new List<FieldError>();
        Add(errors, "idempotencyKey", CheckIdempotencyKey(command.IdempotencyKey));
        var (name, nameError) = NormaliseName(command.FullName);
        Add(errors, "fullName", nameError);
        Add(errors, "birthDate", CheckBirthDate(command.BirthDate, today));
        Add(errors, "sex", Enum.IsDefined(command.Sex) ? null : "Sex must be male or female.");
        Add(errors, "birthRegistrationProvince", CheckBirthRegistrationProvince(command.BirthRegistrationProvince));
        return errors.Count == 0 ? (command with { FullName = name! }, []) : (null, errors.ToArray());
    }

    /// <summary>Why <paramref name="birthDate"/> cannot be a birth date, or null when it can.</summary>
    public static string? CheckBirthDate(DateOnly birthDate, DateOnly today) =>
        birthDate < EarliestBirthDate ? $"Birth date must be on or after {EarliestBirthDate:yyyy-MM-dd}."
        : birthDate > today ? $"Birth date {birthDate:yyyy-MM-dd} is in the future."
        : null;

    /// <summary>Why <paramref name="code"/> cannot be a birth registration province, or null when it can.</summary>
    public static string? CheckBirthRegistrationProvince(string? code) =>
        ProvinceCatalog.IsKnown(code) ? null : $"'{code}' is not one of the 63 province codes.";

    /// <summary>Why <paramref name="key"/> cannot be an idempotency key, or null when it can.</summary>
    public static string? CheckIdempotencyKey(string? key) => key switch
    {
        null or "" => "An idempotency key is required.",
        { Length: > MaxIdempotencyKeyLength } => $"An idempotency key has at most {MaxIdempotencyKeyLength} characters.",
        // Printable ASCII only: keys travel in HTTP headers and become grain keys.
        _ when !key.All(c => c is > ' ' and <= '~') => "An idempotency key has only printable ASCII characters and no spaces.",
        _ => null,
    };

    /// <summary>
    /// The name in NFC (so that composed and decomposed input store alike), trimmed; refused when empty,
    /// too long, or holding control or invisible formatting characters that make two names look alike.
    /// </summary>
    public static (string? Name, string? Error) NormaliseName(string? name)
    {
        if (name is null)
        {
            return (null, "Full name is required.");
        }

        // Characters first: normalisation itself refuses ill-formed UTF-16.
        for (var i = 0; i < name.Length;)
        {
            // A lone surrogate, or U+FFFD left behind by a wrong decoding upstream, means the text was damaged in transit.
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done
                || rune == Rune.ReplacementChar)
            {
                return (null, "Full name is not valid Unicode text.");
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return (null, $"Full name contains the control or invisible character U+{rune.Value:X4}.");
            }

            i += consumed;
        }

        name = name.Normalize(NormalizationForm.FormC).Trim();
        if (name.Length == 0)
        {
            return (null, "Full name must not be empty or only spaces.");
        }

        return name.Length > MaxNameLength
            ? (null, $"Full name has at most {MaxNameLength} characters; this has {name.Length}.")
            : (name, null);
    }

    private static void Add(List<FieldError> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors.Add(new FieldError(field, error));
        }
    }
}
