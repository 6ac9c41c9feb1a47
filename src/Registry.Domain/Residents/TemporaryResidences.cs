using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Residents;

/// <summary>
/// Pure decisions on temporary residence and absence (Law on Residence 68/2020 Art. 27–31), and on the sweep's flag:
/// (command, record, what the province says, today) → refusal or the updated record with its history entry.
/// </summary>
public static class TemporaryResidences
{
    /// <summary>Months away after the last registration elsewhere ended, after which the permanent residence is flagged for deletion (Art. 24).</summary>
    public const int MonthsAwayBeforeDeletion = 12;

    /// <summary>Who flags a residence for deletion: the residence sweep, in the name of the registry itself.</summary>
    public static readonly Actor SweepActor = new("residence-sweep", ActorRole.CentralAdministrator, null);

    /// <summary>Decides a registration or extension of a temporary residence.</summary>
    public static Decision Decide(RegisterTemporaryResidence command, ResidentRecord current, FieldError? destinationError, DateOnly today, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(current);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(command.IdempotencyKey));
        var provinceError = command.Address is { } address && ProvinceCatalog.IsKnown(address.ProvinceCode) ? null : $"'{command.Address?.ProvinceCode}' is not a province code.";
        errors.Add("address.provinceCode", provinceError);
        if (provinceError is null && destinationError is not null)
        {
            errors.Add("address." + destinationError.Field, destinationError.Message);
        }

        var (street, streetError) = RegistrationRules.NormaliseText(command.Address?.Address, "The address", Relocations.MaxAddressLength);
        errors.Add("address.address", streetError);
        // The term runs from the registration (or extension), which is today, whenever the stay began.
        var longest = today.AddYears(TemporaryResidence.MaxYears);
        errors.Add("from", command.From > today ? $"The temporary residence starts on {Text(command.From)}, after today ({Text(today)})." : null);
        errors.Add("until",
            command.Until < today ? $"The temporary residence would end on {Text(command.Until)}, in the past; it ends today at the earliest."
            : command.Until < command.From ? "The temporary residence ends before it starts."
            : command.Until > longest ? $"A temporary residence lasts at most {TemporaryResidence.MaxYears} years (Law on Residence 68/2020 Art. 27): until {Text(longest)} at the latest; extend it later for more."
            : null);
        if (errors.Any)
        {
            return Invalid(errors);
        }

        if (Forbidden(command.Actor, command.Address!.ProvinceCode, "registers temporary residence in") is { } forbidden)
        {
            return forbidden;
        }

        if (Closed(current) is { } closed)
        {
            return closed;
        }

        var registered = new TemporaryResidence(command.Address with { Address = street! }, command.From, command.Until);
        if (registered.Address.ToString() == ResidenceAddress.TextOf(current))
        {
            return Invalid("address", "This is the person's permanent residence; a temporary residence is elsewhere.");
        }

        var updated = current with { TemporaryResidence = registered, PermanentResidenceDeletionFlaggedOn = null };
        return Accept(command.IdempotencyKey, command.Actor, current, updated, ResidentFields.TemporaryResidence,
            current.TemporaryResidence is { } before ? Describe(before) : null, Describe(registered),
            current.TemporaryResidence?.Address == registered.Address ? "Extension of the temporary residence" : "Registration of a temporary residence", now);
    }

    /// <summary>Decides a declaration of temporary absence.</summary>
    public static Decision Decide(DeclareTemporaryAbsence command, ResidentRecord current, DateOnly today, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(current);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(command.IdempotencyKey));
        errors.Add("from", command.From > today ? $"The absence starts on {Text(command.From)}, after today ({Text(today)})." : null);
        errors.Add("until", command.Until < command.From ? "The absence ends before it starts." : null);
        var (destination, destinationError) = RegistrationRules.NormaliseOptionalText(command.Destination, "The destination");
        errors.Add("destination", destinationError);
        if (errors.Any)
        {
            return Invalid(errors);
        }

        if (Forbidden(command.Actor, current.PermanentResidenceProvince, "records absences of residents of") is { } forbidden)
        {
            return forbidden;
        }

        if (Closed(current) is { } closed)
        {
            return closed;
        }

        var absence = new TemporaryAbsence(command.From, command.Until, destination);
        var updated = current with { TemporaryAbsence = absence, PermanentResidenceDeletionFlaggedOn = null };
        return Accept(command.IdempotencyKey, command.Actor, current, updated, ResidentFields.TemporaryAbsence,
            current.TemporaryAbsence is { } before ? Describe(before) : null, Describe(absence), "Declaration of temporary absence", now);
    }

    /// <summary>
    /// Whether the history entries stored under a repeated key record this registration of temporary residence: by the
    /// same actor, at the same address (as the decision normalises it).
    /// </summary>
    public static bool IsReplayOf(RegisterTemporaryResidence command, IEnumerable<ResidentChange> entries)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(entries);
        var address = command.Address is { } given ? (given with { Address = given.Address?.Normalize().Trim() ?? "" }).ToString() : null;
        return entries.All(entry => entry.Kind == ResidentChangeKind.TemporaryResidence && entry.Actor == command.Actor
            && address is not null && entry.NewValue?.StartsWith(address, StringComparison.Ordinal) == true);
    }

    /// <summary>Whether the history entries stored under a repeated key record this declaration of absence: same actor, same start.</summary>
    public static bool IsReplayOf(DeclareTemporaryAbsence command, IEnumerable<ResidentChange> entries)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(entries);
        return entries.All(entry => entry.Kind == ResidentChangeKind.TemporaryResidence && entry.Actor == command.Actor
            && entry.NewValue?.StartsWith(ResidentFields.Text(command.From), StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Whether the sweep of <paramref name="day"/> flags <paramref name="current"/>: alive, not flagged, and the last
    /// registration away ended more than <see cref="MonthsAwayBeforeDeletion"/> months before.
    /// </summary>
    public static bool IsAwayTooLong(ResidentRecord current, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.IsAlive && current.PermanentResidenceDeletionFlaggedOn is null
            && current.AwayRegisteredUntil is { } until && until < day.AddMonths(-MonthsAwayBeforeDeletion);
    }

    /// <summary>
    /// Decides the sweep of <paramref name="day"/> for <paramref name="current"/>: the flag with its history entry when the
    /// person is away too long (<see cref="IsAwayTooLong"/>), null when there is nothing to flag. The flag is written in
    /// the name of the registry itself, under <paramref name="sweepId"/> so a repeated sweep flags once.
    /// </summary>
    public static Acceptance? DecideFlag(ResidentRecord current, string sweepId, DateOnly day, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!IsAwayTooLong(current, day))
        {
            return null;
        }

        var flagged = current with { PermanentResidenceDeletionFlaggedOn = day };
        var entry = new ResidentChange(sweepId, ResidentChangeKind.ResidenceFlag, now, SweepActor, ResidentFields.PermanentResidenceDeletionFlag,
            null, ResidentFields.Text(day),
            $"Away {MonthsAwayBeforeDeletion} months after the registration away ended on {ResidentFields.Text(current.AwayRegisteredUntil!.Value)} (Law on Residence 68/2020 Art. 24)", null);
        return new Acceptance(flagged, [entry], [], NeedsNewNumber: false);
    }

    private static Acceptance Accept(string operationId, Actor actor, ResidentRecord current, ResidentRecord updated, string field, string? before, string after, string reason, DateTimeOffset now) =>
        new Acceptance(updated, [new ResidentChange(operationId, ResidentChangeKind.TemporaryResidence, now, actor, field, before, after, reason, null)], [], NeedsNewNumber: false);

    private static string Describe(TemporaryResidence residence) => $"{residence.Address} {Text(residence.From)}..{Text(residence.Until)}";

    private static string Describe(TemporaryAbsence absence) =>
        $"{Text(absence.From)}..{(absence.Until is { } until ? Text(until) : "")} {absence.Destination}".TrimEnd();

    private static Refused? Forbidden(Actor? actor, string province, string what) => actor switch
    {
        null => Invalid("actor", "The actor of the change is required."),
        _ => Jurisdiction.RefusalFor(actor, province, what) is { } refusal
            ? new Refused(new Refusal(RefusalKind.Forbidden, "The actor may not make this change; nothing was changed.", [new FieldError("actor", refusal)]))
            : null,
    };

    private static Refused? Closed(ResidentRecord current) => current.Death is { } death
        ? new Refused(new Refusal(RefusalKind.Conflict, "The record does not allow this change; nothing was changed.",
            [new FieldError("record", $"{current.PersonalIdNumber} died on {Text(death.Date)}: residence is no longer registered.")]))
        : null;

    private static string Text(DateOnly date) => ResidentFields.Text(date);

    private static Refused Invalid(string field, string message) =>
        new(Refusal.Invalid(field, message));

    private static Refused Invalid(FieldErrors errors) =>
        new(Refusal.Invalid(errors.ToArray()));
}
