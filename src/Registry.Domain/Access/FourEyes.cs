using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Access;

/// <summary>
/// Four eyes for the changes that can ruin a life (issue 11): recording a death and correcting a full name, birth date or
/// sex take effect only when a second official approves what a first one proposed. The second official is one who could
/// have made the change alone before this rule — an officer of the person's province or a central administrator, and for
/// a birth date or sex (encoded in the number) a central administrator — and is never the proposer, whatever their role
/// (a subject is one person, even with two tokens). One official alone can no longer declare someone dead or rename
/// them, not even after moving them into their own province first.
/// </summary>
public static class FourEyes
{
    /// <summary>The fields whose correction needs a second official; the death itself needs one too.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        ResidentFields.FullName, ResidentFields.BirthDate, ResidentFields.Sex,
    };

    /// <summary>Whether <paramref name="command"/> touches a field that needs a second official.</summary>
    public static bool Needs(AmendResident command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return (command.Changes ?? []).Any(change => Fields.Contains(change.Field));
    }

    /// <summary>The fields a proposed change touches, in the API's names (<c>death</c> for a death).</summary>
    public static string[] FieldsOf(ProposedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Death is not null ? [ResidentFields.Death] : [.. (change.Amendment?.Changes ?? []).Select(field => field.Field)];
    }

    /// <summary>
    /// Why <paramref name="approver"/> may not approve (or reject) a change of <paramref name="fields"/> proposed by
    /// <paramref name="proposer"/> for a resident of <paramref name="province"/>, or null when they may.
    /// </summary>
    public static Refusal? ApproverRefusal(Actor proposer, Actor approver, string province, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(proposer);
        ArgumentNullException.ThrowIfNull(approver);
        if (approver.Id == proposer.Id)
        {
            return Forbidden("approval", $"Nobody approves their own proposal: {approver.Id} proposed it, so a second official must decide.");
        }

        if (Jurisdiction.RefusalFor(approver, province, "approves changes for residents of") is { } outside)
        {
            return Forbidden("approval", outside);
        }

        return approver.Role != ActorRole.CentralAdministrator && fields.FirstOrDefault(ResidentFields.CentralOnly.Contains) is { } centralOnly
            ? Forbidden("approval", $"Only a central administrator approves a correction of {centralOnly}: it is encoded in the personal ID number.")
            : null;
    }

    /// <summary>
    /// The citizen's gate: why a death or correction of <paramref name="fields"/> by <paramref name="proposer"/> may not be
    /// applied to <paramref name="resident"/> with <paramref name="approval"/>, or null when it may. Every path to the
    /// record (the API, batches, any cluster client) meets this check, so none bypasses the second official.
    /// </summary>
    /// <param name="proposer">The official who proposed the change (the command's actor).</param>
    /// <param name="approval">The approval the command carries; null when none.</param>
    /// <param name="resident">The record as it is now: the approver must be of the person's current province.</param>
    /// <param name="fields">The fields the change touches; <c>death</c> for a death.</param>
    /// <param name="field">The field a refusal names: the first four-eyes field of an amendment, or <c>approval</c>.</param>
    public static Refusal? GateRefusal(Actor proposer, Approval? approval, ResidentRecord resident, IReadOnlyCollection<string> fields, string field)
    {
        ArgumentNullException.ThrowIfNull(resident);
        ArgumentNullException.ThrowIfNull(fields);
        if (approval is null)
        {
            var what = fields.Contains(ResidentFields.Death) ? "A death" : $"A correction of {field}";
            return Forbidden(field, $"{what} takes effect only when a second official approves it: propose it through the API " +
                "(POST /residents/{personalIdNumber}/death or /amendments) and have it approved (POST /proposals/{id}/approval).");
        }

        return ApproverRefusal(proposer, approval.Approver, resident.PermanentResidenceProvince, fields);
    }

    private static Refusal Forbidden(string field, string message) =>
        new(RefusalKind.Forbidden, "The actor may not make this change; nothing was changed.", [new FieldError(field, message)]);
}
