using System.Text;

namespace Registry.Database.Audit;

/// <summary>
/// One request to an endpoint that reads or changes personal data, as the audit log stores it (before its place in a
/// chain is known). The strings are stored and hashed exactly as given: <see cref="AuditLog.AppendAsync"/> refuses a
/// record that PostgreSQL could not store verbatim (see <see cref="Check"/>), and <see cref="Clean"/> makes any text fit.
/// </summary>
/// <param name="AccessedAt">When the request was answered, to the microsecond (PostgreSQL's precision).</param>
/// <param name="ActorId">The token's subject, or <see cref="Anonymous"/>.</param>
/// <param name="ActorRole">The role's wire name, null for anonymous callers.</param>
/// <param name="ActorProvince">A provincial officer's province code.</param>
/// <param name="Client">The token's authorised party, or the remote address.</param>
/// <param name="Purpose">The stated purpose's code, if one was stated.</param>
/// <param name="PurposeNote">The stated purpose's note.</param>
/// <param name="Endpoint">Method and route pattern, e.g. <c>GET /residents/{personalIdNumber}</c>.</param>
/// <param name="PersonNumbers">The 12-digit personal ID numbers whose data was touched or asked for.</param>
/// <param name="Fields">The fields read or changed, in their wire names.</param>
/// <param name="Outcome">allowed, denied, refused or failed.</param>
/// <param name="StatusCode">The response's HTTP status.</param>
/// <param name="Reason">Why the endpoint refused, if it said.</param>
public sealed record AuditRecord(
    DateTimeOffset AccessedAt,
    string ActorId,
    string? ActorRole,
    string? ActorProvince,
    string? Client,
    string? Purpose,
    string? PurposeNote,
    string Endpoint,
    IReadOnlyList<string> PersonNumbers,
    IReadOnlyList<string> Fields,
    string Outcome,
    int StatusCode,
    string? Reason)
{
    /// <summary>The actor id of a request without a valid token.</summary>
    public const string Anonymous = "anonymous";

    private static readonly string[] Outcomes = ["allowed", "denied", "refused", "failed"];

    /// <summary><paramref name="time"/> cut to whole microseconds, as a timestamptz keeps it; the hash covers this value.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>
    /// <paramref name="text"/> as PostgreSQL stores it: NUL (which a text column refuses) and unpaired surrogates (which
    /// UTF-8 cannot carry) become U+FFFD, so that what is hashed is what is read back.
    /// </summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var utf8 = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
        return utf8.Contains('\0', StringComparison.Ordinal) ? utf8.Replace('\0', '\uFFFD') : utf8;
    }

    /// <summary>Whether <paramref name="value"/> is a personal ID number's form: exactly 12 ASCII digits.</summary>
    public static bool IsPersonNumber(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);

    /// <summary>Why this record cannot be stored verbatim, or null when it can.</summary>
    public string? Check()
    {
        if (AccessedAt.UtcTicks % 10 != 0 || AccessedAt.Offset != TimeSpan.Zero)
        {
            return "The time must be in UTC, cut to microseconds (ToStoredPrecision).";
        }

        if (!Outcomes.Contains(Outcome, StringComparer.Ordinal))
        {
            return $"The outcome must be one of {string.Join(", ", Outcomes)}.";
        }

        if (PersonNumbers.FirstOrDefault(number => !IsPersonNumber(number)) is not null)
        {
            return "Every person number must be 12 digits.";
        }

        if (ActorProvince is not null && (ActorProvince.Length != 3 || !ActorProvince.All(char.IsAsciiDigit)))
        {
            return "The actor's province must be 3 digits.";
        }

        if (string.IsNullOrEmpty(ActorId) || string.IsNullOrEmpty(Endpoint))
        {
            return "The actor and the endpoint must be named.";
        }

        string?[] texts = [ActorId, ActorRole, Client, Purpose, PurposeNote, Endpoint, Reason, .. Fields];
        return texts.Any(text => text is not null && !string.Equals(text, Clean(text), StringComparison.Ordinal))
            ? "Texts must hold no NUL and no unpaired surrogate (Clean)."
            : null;
    }
}

/// <summary>Where an appended record went.</summary>
/// <param name="ChainId">The chain of the writer that appended it.</param>
/// <param name="Position">Its position in that chain, from 1.</param>
public readonly record struct AuditReceipt(string ChainId, long Position);
