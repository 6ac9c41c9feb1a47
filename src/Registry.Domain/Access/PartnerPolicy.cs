using Registry.Contracts;
using Registry.Contracts.Events;

namespace Registry.Domain.Access;

/// <summary>
/// What one ministry partner may do with the registry (design, access and privacy: fields limited by a policy, yes/no
/// verification by default), set by a central administrator. A partner without a policy may do nothing at all.
/// </summary>
/// <param name="PartnerId">The partner's token subject, e.g. <c>ministry-of-health</c>.</param>
/// <param name="Purposes">Codes of <see cref="AccessPurposes"/> the partner may state; any other purpose is refused.</param>
/// <param name="Fields">The fields (<see cref="PartnerFields"/>) eKYC may return, verification may compare beyond the core, and events carry.</param>
/// <param name="EventKinds">The kinds of event the partner receives, e.g. births and deaths for health.</param>
/// <param name="RequestsPerMinute">The partner's budget of requests, for the rate limiter.</param>
/// <param name="MayVerify">Whether the partner may ask yes/no verifications.</param>
public sealed record PartnerPolicy(
    string PartnerId,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> Fields,
    IReadOnlyList<RegistryEventKind> EventKinds,
    int RequestsPerMinute,
    bool MayVerify)
{
    /// <summary>Whether the partner may state <paramref name="purpose"/>.</summary>
    public bool Allows(AccessPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return Purposes.Contains(purpose.Code, StringComparer.Ordinal);
    }

    /// <summary>The fields of <paramref name="asked"/> the policy does not give, in the order asked.</summary>
    public IReadOnlyList<string> FieldsOutside(IEnumerable<string> asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        return [.. asked.Where(field => !Fields.Contains(field, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the partner receives events of <paramref name="kind"/>.</summary>
    public bool Receives(RegistryEventKind kind) => EventKinds.Contains(kind);

    /// <summary>Equal by content: the lists are compared element by element.</summary>
    public bool Equals(PartnerPolicy? other) =>
        other is not null
        && PartnerId == other.PartnerId
        && Purposes.SequenceEqual(other.Purposes)
        && Fields.SequenceEqual(other.Fields)
        && EventKinds.SequenceEqual(other.EventKinds)
        && RequestsPerMinute == other.RequestsPerMinute
        && MayVerify == other.MayVerify;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PartnerId, RequestsPerMinute, MayVerify);
}

/// <summary>
/// The rules of partner policies: what a well-formed one holds, and the refusals of a partner's request that its policy
/// does not cover. Pure; the API asks before it reads a person.
/// </summary>
public static class PartnerPolicies
{
    /// <summary>The smallest budget a partner may have: one request a minute.</summary>
    public const int MinimumRequestsPerMinute = 1;

    /// <summary>
    /// The largest: 60,000 a minute (1,000 a second) is the order of the busiest national partner (the social insurance
    /// fund checking every payment); anything above it is a typo that would let one partner starve the others.
    /// </summary>
    public const int MaximumRequestsPerMinute = 60_000;

    /// <summary>The longest partner id: the token subject of a back-end, not a description.</summary>
    public const int MaximumIdLength = 100;

    /// <summary>The wire names of event kinds, as <c>GET /events</c> writes them.</summary>
    public static IReadOnlyDictionary<string, RegistryEventKind> EventKindNames { get; } = new Dictionary<string, RegistryEventKind>(StringComparer.Ordinal)
    {
        ["birth"] = RegistryEventKind.Birth,
        ["death"] = RegistryEventKind.Death,
        ["relocation"] = RegistryEventKind.Relocation,
        ["reorganisation"] = RegistryEventKind.Reorganisation,
        ["cardIssued"] = RegistryEventKind.CardIssued,
        ["cardReportedLost"] = RegistryEventKind.CardReportedLost,
        ["cardRevoked"] = RegistryEventKind.CardRevoked,
        ["cardExpired"] = RegistryEventKind.CardExpired,
    };

    /// <summary>The wire name of <paramref name="kind"/>.</summary>
    public static string NameOf(RegistryEventKind kind) => EventKindNames.Single(name => name.Value == kind).Key;

    /// <summary>Why <paramref name="partnerId"/> names no partner, or null when it is well formed.</summary>
    public static string? PartnerIdError(string? partnerId) =>
        partnerId is { Length: > 0 and <= MaximumIdLength } && partnerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"A partner id is its token subject: 1 to {MaximumIdLength} ASCII letters, digits, '-', '_' or '.'.";

    /// <summary>
    /// The policy the request describes, or every field that is wrong (unknown purpose, unknown field, unknown event
    /// kind, rate out of range), each named with its index so that the administrator fixes all of them in one go.
    /// A list naming an item twice keeps it once.
    /// </summary>
    public static (PartnerPolicy? Policy, FieldError[] Errors) Build(
        string partnerId, IReadOnlyList<string?>? purposes, IReadOnlyList<string?>? fields, IReadOnlyList<string?>? eventKinds, int? requestsPerMinute, bool? mayVerify)
    {
        var errors = new List<FieldError>();
        if (PartnerIdError(partnerId) is { } idError)
        {
            errors.Add(new FieldError("partnerId", idError));
        }

        var purposeCodes = Items("purposes", purposes, code => AccessPurposes.TryFind(code, out _),
            "Not a code of the published purposes (GET /access-purposes).", errors);
        var fieldNames = Items("fields", fields, field => PartnerFields.All.Contains(field, StringComparer.Ordinal),
            $"Not a field a partner may receive: one of {string.Join(", ", PartnerFields.All)}.", errors);
        var kindNames = Items("eventKinds", eventKinds, EventKindNames.ContainsKey,
            $"Not a kind of event: one of {string.Join(", ", EventKindNames.Keys)}.", errors);
        if (requestsPerMinute is not (>= MinimumRequestsPerMinute and <= MaximumRequestsPerMinute))
        {
            errors.Add(new FieldError("requestsPerMinute", $"The rate is {MinimumRequestsPerMinute} to {MaximumRequestsPerMinute:N0} requests per minute."));
        }

        if (mayVerify is null)
        {
            errors.Add(new FieldError("mayVerify", "Say whether the partner may ask yes/no verifications: true or false."));
        }

        return errors.Count > 0
            ? (null, [.. errors])
            : (new PartnerPolicy(partnerId, purposeCodes, fieldNames, [.. kindNames.Select(name => EventKindNames[name])], requestsPerMinute!.Value, mayVerify!.Value), []);
    }

    /// <summary>The title of every refusal a policy makes.</summary>
    public const string RefusedTitle = "The partner's policy does not allow this request; nothing was read.";

    /// <summary>
    /// Why partner <paramref name="partnerId"/> may not make any request under <paramref name="purpose"/>, or null when
    /// it may: it has no policy, or its policy does not name the purpose (the error names <paramref name="purposeField"/>,
    /// where the request stated it).
    /// </summary>
    public static Refusal? Admit(PartnerPolicy? policy, string partnerId, AccessPurpose purpose, string purposeField)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (policy is null)
        {
            return new Refusal(RefusalKind.Forbidden, RefusedTitle,
                [new FieldError("partnerId", $"Partner '{partnerId}' has no policy: a central administrator sets one (PUT /partner-policies/{{partnerId}}).")]);
        }

        return policy.Allows(purpose)
            ? null
            : new Refusal(RefusalKind.Forbidden, RefusedTitle,
                [new FieldError(purposeField, $"The purpose {purpose.Code} is not one of partner '{policy.PartnerId}''s: {string.Join(", ", policy.Purposes)}.")]);
    }

    /// <summary>
    /// Why the partner may not verify <paramref name="compared"/> details, or null when it may: verification must be
    /// allowed, and every detail beyond the core must be a field of the policy (each is named).
    /// </summary>
    public static Refusal? AdmitVerification(PartnerPolicy policy, IEnumerable<string> compared)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(compared);
        if (!policy.MayVerify)
        {
            return new Refusal(RefusalKind.Forbidden, RefusedTitle, [new FieldError("partnerId", $"Partner '{policy.PartnerId}''s policy does not allow verifications.")]);
        }

        return Outside(policy, compared.Except(Verifications.Core, StringComparer.Ordinal), "compare");
    }

    /// <summary>Why the partner may not receive <paramref name="asked"/> by eKYC, or null when every field is in its policy; each field outside is named.</summary>
    public static Refusal? AdmitEkyc(PartnerPolicy policy, IEnumerable<string> asked)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Outside(policy, asked, "receive");
    }

    private static Refusal? Outside(PartnerPolicy policy, IEnumerable<string> fields, string verb) =>
        policy.FieldsOutside(fields) is { Count: > 0 } outside
            ? new Refusal(RefusalKind.Forbidden, RefusedTitle,
                [.. outside.Select(field => new FieldError(field, $"Partner '{policy.PartnerId}''s policy does not let it {verb} {field}."))])
            : null;

    // A list must be given (an empty one is a choice: a partner suspended, or receiving no events); each item is known.
    private static string[] Items(string name, IReadOnlyList<string?>? items, Func<string, bool> isKnown, string unknown, List<FieldError> errors)
    {
        if (items is null)
        {
            errors.Add(new FieldError(name, "Give the list, empty for none."));
            return [];
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item || !isKnown(item))
            {
                errors.Add(new FieldError($"{name}[{i}]", unknown));
            }
        }

        return [.. items.OfType<string>().Distinct(StringComparer.Ordinal)];
    }
}
