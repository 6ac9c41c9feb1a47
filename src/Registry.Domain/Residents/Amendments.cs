using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Residents;

/// <summary>What an amendment or death record does to a record, decided before anything is stored.</summary>
public abstract record Decision;

/// <summary>The change is refused; nothing is stored.</summary>
public sealed record Refused(Refusal Refusal) : Decision;

/// <summary>The change is accepted.</summary>
/// <param name="Updated">The record after the change, still under its current number.</param>
/// <param name="Entries">The history entries, one per field.</param>
/// <param name="NewLinks">Links set by the change: the people must exist before it is stored.</param>
/// <param name="NeedsNewNumber">A corrected birth date or sex contradicts the number: a new one must be issued.</param>
public sealed record Acceptance(
    ResidentRecord Updated,
    ResidentChange[] Entries,
    (string Field, PersonalIdNumber Number)[] NewLinks,
    bool NeedsNewNumber) : Decision
{
    /// <summary>The province counts the change owes, stored with it and sent after; none for most changes.</summary>
    public OwedCount[] Counts { get; init; } = [];
}

/// <summary>
/// Pure decisions on amendments and deaths: (command, record, today) → refusal or the updated record with its
/// history. The citizen grain loads, decides here, checks links, persists and tells others.
/// </summary>
public static class Amendments
{
    /// <summary>
    /// Decides <paramref name="command"/> against <paramref name="current"/>. A correction of full name, birth date or sex
    /// is refused unless it carries a second official's approval (<see cref="FourEyes"/>).
    /// </summary>
    public static Decision Decide(AmendResident command, ResidentRecord current, DateOnly today, DateTimeOffset now) =>
        Decide(command, current, today, now, proposing: false);

    /// <summary>
    /// What a second official's approval of <paramref name="change"/> would meet now: the decision of the change as if
    /// approved, without the approval. A proposal that would be refused anyway is refused at once, naming the field.
    /// </summary>
    public static Decision DecideProposal(ProposedChange change, ResidentRecord current, DateOnly today, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change switch
        {
            { Death: { } death, Amendment: null } => Decide(death, current, today, now, proposing: true),
            { Death: null, Amendment: { } amendment } when FourEyes.Needs(amendment) => Decide(amendment, current, today, now, proposing: true),
            { Death: null, Amendment: not null } => Invalid("changes", "Only a correction of fullName, birthDate or sex is proposed; other fields are amended at once."),
            _ => Invalid("change", "A proposal is of a death or of an amendment."),
        };
    }

    private static Decision Decide(AmendResident command, ResidentRecord current, DateOnly today, DateTimeOffset now, bool proposing)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(current);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(command.IdempotencyKey));
        var reason = errors.Take("reason", Required(command.Reason, "A reason"));
        var document = errors.Take("documentReference", Required(command.DocumentReference, "The supporting document's reference"));
        if (command.Changes is null or { Count: 0 })
        {
            errors.Add("changes", "An amendment changes at least one field.");
        }

        foreach (var duplicate in (command.Changes ?? []).GroupBy(change => change.Field).Where(group => group.Count() > 1))
        {
            errors.Add(duplicate.Key, "The field is changed more than once in one amendment.");
        }

        foreach (var unknown in (command.Changes ?? []).Where(change => !ResidentFields.Amendable.Contains(change.Field)))
        {
            errors.Add(unknown.Field, $"'{unknown.Field}' is not a field that can be amended.");
        }

        if (errors.Any)
        {
            return Invalid(errors);
        }

        if (WriterRefusal(command.Actor, current) is { } refusal)
        {
            return refusal;
        }

        foreach (var change in command.Changes!.Where(change => ResidentFields.CentralOnly.Contains(change.Field)))
        {
            if (command.Actor.Role != ActorRole.CentralAdministrator)
            {
                return Forbidden(change.Field, "Only a central administrator corrects a birth date or sex: they are encoded in the personal ID number.");
            }
        }

        var closed = new FieldErrors();
        foreach (var change in command.Changes!)
        {
            closed.Add(change.Field,
                current.Death is { } death && ResidentFields.ClosedAtDeath.Contains(change.Field)
                    ? $"{current.PersonalIdNumber} died on {ResidentFields.Text(death.Date)}: the record is closed for everything except corrections of recorded facts."
                : current.Death is null && ResidentFields.OfDeath.Contains(change.Field)
                    ? "No death is recorded for this person; record the death instead of amending it."
                : null);
        }

        if (closed.Any)
        {
            return new Refused(new Refusal(RefusalKind.Conflict, "The record does not allow this change; nothing was changed.", closed.ToArray()));
        }

        var updated = current;
        var entries = new List<ResidentChange>();
        var links = new List<(string, PersonalIdNumber)>();
        foreach (var change in command.Changes!)
        {
            var (next, error) = Apply(updated, change, today);
            if (error is not null)
            {
                errors.Add(change.Field, error);
                continue;
            }

            var oldValue = ResidentFields.Read(current, change.Field);
            var newValue = ResidentFields.Read(next!, change.Field);
            if (oldValue == newValue)
            {
                errors.Add(change.Field, $"The {change.Field} is already {(newValue is null ? "unset" : $"'{newValue}'")}; there is nothing to correct.");
                continue;
            }

            if (ResidentFields.IsLink(change.Field) && newValue is not null)
            {
                links.Add((change.Field, PersonalIdNumber.TryParse(newValue, out var linked, out _) ? linked : throw new InvalidOperationException("A stored link is a number.")));
            }

            updated = next!;
            entries.Add(new ResidentChange(command.IdempotencyKey, ResidentChangeKind.Amendment, now, command.Actor, change.Field, oldValue, newValue, reason, document)
            {
                ApprovedBy = command.Approval?.Approver,
            });
        }

        if (!errors.Any && updated.Death is { } correctedDeath && correctedDeath.Date < updated.BirthDate)
        {
            errors.Add(command.Changes!.Any(change => change.Field == ResidentFields.DeathDate) ? ResidentFields.DeathDate : ResidentFields.BirthDate,
                "The death date cannot be before the birth date.");
        }

        if (errors.Any)
        {
            return Invalid(errors);
        }

        // Last, so that bad input is refused as such whether or not it was approved.
        if (!proposing && command.Changes!.FirstOrDefault(change => FourEyes.Fields.Contains(change.Field)) is { } guarded
            && FourEyes.GateRefusal(command.Actor, command.Approval, current, [.. command.Changes!.Select(change => change.Field)], guarded.Field) is { } unapproved)
        {
            return new Refused(unapproved);
        }

        return new Acceptance(updated, [.. entries], [.. links], !updated.PersonalIdNumber.IsConsistentWith(updated.BirthDate, updated.Sex));
    }

    /// <summary>
    /// Decides <paramref name="command"/> against <paramref name="current"/>; refused unless the command carries a second
    /// official's approval (<see cref="FourEyes"/>).
    /// </summary>
    public static Decision Decide(RecordDeath command, ResidentRecord current, DateOnly today, DateTimeOffset now) =>
        Decide(command, current, today, now, proposing: false);

    private static Decision Decide(RecordDeath command, ResidentRecord current, DateOnly today, DateTimeOffset now, bool proposing)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(current);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(command.IdempotencyKey));
        var place = errors.Take("place", Required(command.Place, "The place of death"));
        var document = errors.Take("documentReference", Required(command.DocumentReference, "The death certificate's reference"));
        errors.Add("date", command.Date > today ? $"The date of death {ResidentFields.Text(command.Date)} is in the future."
            : command.Date < current.BirthDate ? $"The date of death is before the birth date {ResidentFields.Text(current.BirthDate)}."
            : null);
        if (errors.Any)
        {
            return Invalid(errors);
        }

        if (WriterRefusal(command.Actor, current) is { } refusal)
        {
            return refusal;
        }

        if (!proposing && FourEyes.GateRefusal(command.Actor, command.Approval, current, [ResidentFields.Death], "approval") is { } unapproved)
        {
            return new Refused(unapproved);
        }

        if (current.Death is { } recorded)
        {
            return new Refused(new Refusal(RefusalKind.Conflict, "A death is already recorded; correct it with an amendment. Nothing was changed.",
                [new FieldError("date", $"{current.PersonalIdNumber} is recorded as dead since {ResidentFields.Text(recorded.Date)}.")]));
        }

        var updated = current with { Death = new DeathRecord(command.Date, place!, document!) };
        ResidentChange[] entries =
        [
            new(command.IdempotencyKey, ResidentChangeKind.Death, now, command.Actor, ResidentFields.Death, null, ResidentFields.Read(updated, ResidentFields.Death), null, document)
            {
                ApprovedBy = command.Approval?.Approver,
            },
        ];
        // A dead person is no longer counted among their province's residents; one death per number, whatever the operation.
        var count = new ResidentCountChange($"death:{current.PersonalIdNumber}", current.PersonalIdNumber, -1, ResidentCountReason.Death);
        return new Acceptance(updated, entries, [], NeedsNewNumber: false) { Counts = [new OwedCount(current.PermanentResidenceProvince, count)] };
    }

    /// <summary>
    /// Whether a repeated operation id asks for what the history says it did: then the request is a replay; if
    /// the id is in the history with other content, it was reused for a different request.
    /// </summary>
    public static bool IsReplayOf(AmendResident command, IEnumerable<ResidentChange> entries)
    {
        ArgumentNullException.ThrowIfNull(command);
        var done = entries.ToDictionary(entry => entry.Field, StringComparer.Ordinal);
        return done.Count == command.Changes.Count
            && command.Changes.All(change => done.TryGetValue(change.Field, out var entry)
                && entry.Reason == command.Reason?.Normalize().Trim()
                && entry.DocumentReference == command.DocumentReference?.Normalize().Trim()
                && entry.Actor == command.Actor
                && entry.NewValue == Canonical(change));
    }

    // The text form a value is stored in, for comparing a repeated request with what the first one stored.
    private static string? Canonical(FieldChange change) =>
        change.Value is null ? null
        : change.Field == ResidentFields.OtherNames
            ? string.Join(ResidentFields.OtherNamesSeparator + " ", change.Value.Split(ResidentFields.OtherNamesSeparator,
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => name.Normalize()))
            : change.Value.Normalize().Trim();

    /// <summary>Whether a repeated death operation id asks for the death the history recorded.</summary>
    public static bool IsReplayOf(RecordDeath command, IEnumerable<ResidentChange> entries)
    {
        ArgumentNullException.ThrowIfNull(command);
        return entries.All(entry => entry.Kind == ResidentChangeKind.Death
            && entry.DocumentReference == command.DocumentReference
            && entry.NewValue?.StartsWith(ResidentFields.Text(command.Date), StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not write <paramref name="resident"/>'s record, or null when they may:
    /// provincial officers write only for their own province's residents (design: access and privacy).
    /// </summary>
    public static Refused? WriterRefusal(Actor actor, ResidentRecord resident)
    {
        ArgumentNullException.ThrowIfNull(resident);
        return actor switch
        {
            null => Invalid("actor", "The actor of the change is required."),
            _ => Jurisdiction.RefusalFor(actor, resident.PermanentResidenceProvince, "writes for residents of") is { } refusal
                ? Forbidden("actor", refusal)
                : null,
        };
    }

    private static (ResidentRecord? Updated, string? Error) Apply(ResidentRecord record, FieldChange change, DateOnly today)
    {
        var value = change.Value;
        switch (change.Field)
        {
            case ResidentFields.FullName:
                return With(RegistrationRules.NormaliseName(value), name => record with { FullName = name });
            case ResidentFields.OtherNames:
                var names = new List<string>();
                foreach (var part in (value ?? "").Split(ResidentFields.OtherNamesSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var (name, error) = RegistrationRules.NormaliseText(part, "Other name", RegistrationRules.MaxNameLength);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    names.Add(name!);
                }

                return names.Count > RegistrationRules.MaxOtherNames
                    ? (null, $"At most {RegistrationRules.MaxOtherNames} other names; this has {names.Count}.")
                    : (record with { OtherNames = names }, null);
            case ResidentFields.BirthDate:
                return !ResidentFields.TryParseDate(value, out var birthDate) ? (null, $"'{value}' is not a date (yyyy-MM-dd).")
                    : RegistrationRules.CheckBirthDate(birthDate, today) is { } birthError ? (null, birthError)
                    : (record with { BirthDate = birthDate }, null);
            case ResidentFields.Sex:
                return ResidentFields.ParseSex(value) is { } sex ? (record with { Sex = sex }, null) : (null, $"Sex must be male or female, not '{value}'.");
            case ResidentFields.Hometown:
                return WithOptional(value, "Hometown", text => record with { Hometown = text });
            case ResidentFields.Ethnicity:
                return WithOptional(value, "Ethnicity", text => record with { Ethnicity = text });
            case ResidentFields.Religion:
                return WithOptional(value, "Religion", text => record with { Religion = text });
            case ResidentFields.PermanentAddress:
                return WithOptional(value, "Permanent address", text => record with { PermanentAddress = text });
            case ResidentFields.Nationality:
                var nationality = ResidentFields.ParseNationality(value);
                return nationality switch
                {
                    null => (null, $"Nationality must be vietnamese, undeterminedVietnameseOrigin or foreignLongTermResident, not '{value}'."),
                    // The status is acquired by registering with the certificate (Law 26/2023 Art. 30), not by a correction.
                    NationalityStatus.UndeterminedVietnameseOrigin when record.IdentityCertificate is null =>
                        (null, "A person becomes of undetermined nationality by registration with an identity certificate, not by an amendment."),
                    _ => (record with { Nationality = nationality.Value }, null),
                };
            case ResidentFields.Mother or ResidentFields.Father or ResidentFields.Spouse or ResidentFields.Guardian:
                if (value is null)
                {
                    return (record with { Family = ResidentFields.WithLink(record.Family, change.Field, null) }, null);
                }

                return !PersonalIdNumber.TryParse(value, out var linked, out var numberError) ? (null, numberError)
                    : linked == record.PersonalIdNumber ? (null, "A person cannot be linked to themselves.")
                    : (record with { Family = ResidentFields.WithLink(record.Family, change.Field, linked) }, null);
            case ResidentFields.DeathDate:
                return !ResidentFields.TryParseDate(value, out var deathDate) ? (null, $"'{value}' is not a date (yyyy-MM-dd).")
                    : deathDate > today ? (null, $"The date of death {value} is in the future.")
                    : (record with { Death = record.Death! with { Date = deathDate } }, null);
            case ResidentFields.DeathPlace:
                return With(RegistrationRules.NormaliseText(value, "The place of death", RegistrationRules.MaxTextLength),
                    place => record with { Death = record.Death! with { Place = place } });
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Field, "Not an amendable field.");
        }
    }

    private static (ResidentRecord?, string?) With((string? Text, string? Error) check, Func<string, ResidentRecord> apply) =>
        check.Error is not null ? (null, check.Error) : (apply(check.Text!), null);

    private static (ResidentRecord?, string?) WithOptional(string? value, string label, Func<string?, ResidentRecord> apply)
    {
        var (text, error) = RegistrationRules.NormaliseOptionalText(value, label);
        return error is not null ? (null, error) : (apply(text), null);
    }

    private static (string? Text, string? Error) Required(string? text, string label) =>
        text is null || string.IsNullOrWhiteSpace(text)
            ? (null, $"{label} is required.")
            : RegistrationRules.NormaliseText(text, label, RegistrationRules.MaxTextLength);

    private static Refused Invalid(FieldErrors errors) =>
        new(Refusal.Invalid(errors.ToArray()));

    private static Refused Invalid(string field, string message) =>
        new(Refusal.Invalid(field, message));

    private static Refused Forbidden(string field, string message) =>
        new(new Refusal(RefusalKind.Forbidden, "The actor may not make this change; nothing was changed.", [new FieldError(field, message)]));
}
