using System.Diagnostics.CodeAnalysis;

namespace Registry.Domain.Access;

/// <summary>
/// A reason for reading or changing a person's data, from the published list (<see cref="AccessPurposes.All"/>). The
/// code is what partner policies allow and what the person's access log groups by; a covert purpose is hidden from that
/// log until a central administrator releases the entry or its hiding period ends.
/// </summary>
/// <param name="Code">The stable wire name, e.g. <c>residence-registration</c>.</param>
/// <param name="Description">What it covers, for the published list and the person's access log.</param>
/// <param name="Covert">Whether entries stated with it are hidden from the person's access log for a time.</param>
public sealed record AccessPurpose(string Code, string Description, bool Covert = false);

/// <summary>The purpose a request states: a code of the published list and the caller's own words (a case or file reference).</summary>
/// <param name="Purpose">The listed purpose.</param>
/// <param name="Note">Free text, 1 to <see cref="AccessPurposes.MaximumNoteLength"/> characters, without control characters.</param>
public sealed record StatedPurpose(AccessPurpose Purpose, string Note);

/// <summary>
/// The published list of purposes (design, access and privacy: every read states one). The list is code so that a new
/// purpose is a reviewed change; partner policies name a subset of it.
/// </summary>
public static class AccessPurposes
{
    /// <summary>The longest note a purpose carries; it is a reference, not a report.</summary>
    public const int MaximumNoteLength = 500;

    /// <summary>Serving a person at the desk: registering, amending or moving their residence (Law on Residence 68/2020).</summary>
    public static AccessPurpose ResidenceRegistration { get; } = new("residence-registration", "Registering, amending or moving a person's residence at the request of the person or household.");

    /// <summary>Birth, death, marriage and other civil-status registration.</summary>
    public static AccessPurpose CivilStatus { get; } = new("civil-status", "Registering a birth, a death or another civil-status event.");

    /// <summary>Issuing, renewing, replacing or revoking an identity card (Law on Identification 26/2023).</summary>
    public static AccessPurpose IdentityCard { get; } = new("identity-card", "Issuing, renewing, replacing or revoking an identity card.");

    /// <summary>Correcting or deduplicating records.</summary>
    public static AccessPurpose DataQuality { get; } = new("data-quality", "Correcting a record, or resolving duplicate records.");

    /// <summary>An open investigation under the Criminal Procedure Code.</summary>
    public static AccessPurpose LawEnforcement { get; } = new("law-enforcement", "An investigation under criminal procedure, disclosed to the person.");

    /// <summary>An investigation the person must not learn of yet: hidden from their access log for a time.</summary>
    public static AccessPurpose CovertInvestigation { get; } = new("covert-investigation", "An investigation that must not be disclosed to the person until it is released.", Covert: true);

    /// <summary>All purposes, in the order they are published.</summary>
    public static IReadOnlyList<AccessPurpose> All { get; } =
    [
        ResidenceRegistration,
        CivilStatus,
        IdentityCard,
        DataQuality,
        LawEnforcement,
        CovertInvestigation,
        new("citizen-request", "Answering a request the person made themselves."),
        new("social-insurance", "Paying or checking social insurance benefits."),
        new("health-insurance", "Health insurance enrolment and claims."),
        new("health-care", "Registering a birth or a death in health care, or treating a patient."),
        new("tax", "Tax registration and assessment."),
        new("education", "School and university enrolment."),
        new("elections", "Drawing up voter lists."),
        new("banking-kyc", "Identifying a customer of a bank or payment service."),
        new("telecom-kyc", "Identifying a subscriber of a telecommunications service."),
        new("audit-review", "Reviewing the registry's own access log."),
    ];

    private static readonly Dictionary<string, AccessPurpose> ByCode = All.ToDictionary(purpose => purpose.Code, StringComparer.Ordinal);

    /// <summary>The listed purpose whose code is exactly <paramref name="code"/>.</summary>
    public static bool TryFind(string? code, [NotNullWhen(true)] out AccessPurpose? purpose)
    {
        purpose = null;
        return code is not null && ByCode.TryGetValue(code, out purpose);
    }

    /// <summary>
    /// The purpose a request states with <paramref name="code"/> and <paramref name="note"/>, or why it states none:
    /// the message names what to send and never repeats the value (it came from outside).
    /// </summary>
    public static bool TryState(string? code, string? note, [NotNullWhen(true)] out StatedPurpose? stated, [NotNullWhen(false)] out string? error)
    {
        stated = null;
        if (string.IsNullOrEmpty(code))
        {
            error = "State the purpose of this access: a code of the published list (GET /access-purposes).";
            return false;
        }

        if (!TryFind(code, out var purpose))
        {
            error = "The purpose is not a code of the published list (GET /access-purposes).";
            return false;
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            error = "Give the purpose's note too: the case or file the access is for.";
            return false;
        }

        if (note.Length > MaximumNoteLength || note.Any(char.IsControl))
        {
            error = $"The purpose's note must be at most {MaximumNoteLength} characters, without control characters.";
            return false;
        }

        stated = new StatedPurpose(purpose, note.Trim());
        error = null;
        return true;
    }
}
