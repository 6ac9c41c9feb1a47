using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Residents;

/// <summary>
/// Pure decisions on relocations: (command, record, version, what the destination province says, today) → refusal
/// or the moved record with its history entry. The citizen grain asks the destination province about the commune,
/// decides here, stores the move with the counts it owes, and tells the provinces.
/// </summary>
public static class Relocations
{
    /// <summary>Longest address within a commune.</summary>
    public const int MaxAddressLength = 300;

    /// <summary>Decides <paramref name="command"/> against <paramref name="current"/>.</summary>
    /// <param name="command">The requested move.</param>
    /// <param name="current">The record now.</param>
    /// <param name="version">The citizen's state version now.</param>
    /// <param name="destinationError">Why the destination province refuses the move (absorbed, or no such commune), or null.</param>
    /// <param name="today">Today in Vietnam.</param>
    /// <param name="now">The time stamped on history.</param>
    public static Decision Decide(Relocate command, ResidentRecord current, long version, FieldError? destinationError, DateOnly today, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(current);
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(command.IdempotencyKey));
        errors.Add("actor", command.Actor is null ? "The actor of the change is required." : null);
        if (command.Destination is not { } destination)
        {
            errors.Add("destination", "The destination is required.");
            return Invalid(errors);
        }

        var provinceError = ProvinceCatalog.IsKnown(destination.ProvinceCode) ? null : $"'{destination.ProvinceCode}' is not a province code.";
        errors.Add("destination.provinceCode", provinceError);
        if (provinceError is null && destinationError is not null)
        {
            errors.Add("destination." + destinationError.Field, destinationError.Message);
        }

        var (address, addressError) = RegistrationRules.NormaliseText(destination.Address, "The address", MaxAddressLength);
        errors.Add("destination.address", addressError);
        errors.Add("movedOn",
            command.MovedOn > today ? $"The move is registered on {Text(command.MovedOn)}, after today ({Text(today)})."
            : command.MovedOn < current.BirthDate ? $"The move on {Text(command.MovedOn)} is before the person's birth on {Text(current.BirthDate)}."
            : null);
        if (errors.Any)
        {
            return Invalid(errors);
        }

        if (WriterRefusal(command.Actor!, destination.ProvinceCode) is { } forbidden)
        {
            return forbidden;
        }

        if (current.Death is { } death)
        {
            return Conflict("destination", $"{current.PersonalIdNumber} died on {Text(death.Date)}: a dead person's residence does not move.");
        }

        if (command.ExpectedVersion is { } expected && expected != version)
        {
            return Conflict("expectedVersion",
                string.Create(CultureInfo.InvariantCulture, $"The record is at version {version}, not {expected}: it changed since it was read. Read it again and decide anew."));
        }

        var moved = destination with { Address = address! };
        var from = ResidenceAddress.TextOf(current);
        if (moved.ToString() == from)
        {
            return new Refused(Refusal.Invalid("destination", $"The person already lives at {from}."));
        }

        var updated = current with
        {
            PermanentResidenceProvince = moved.ProvinceCode,
            PermanentResidenceCommune = moved.CommuneCode,
            PermanentAddress = moved.Address,
            PermanentResidenceDeletionFlaggedOn = null,
        };
        var entry = new ResidentChange(command.IdempotencyKey, ResidentChangeKind.Relocation, now, command.Actor!,
            ResidentFields.PermanentResidence, from, moved.ToString(), "Relocation registered on " + Text(command.MovedOn), null);
        return new Acceptance(updated, [entry], [], NeedsNewNumber: false)
        {
            Counts = MoveCounts(current, updated, $"relocation:{current.PersonalIdNumber}:{command.IdempotencyKey}"),
        };
    }

    /// <summary>
    /// Decides the undo of the relocation made with <paramref name="relocationKey"/> (a household's member moved back because another
    /// member could not move): the person returns to the address the move's history entry left, owing the reverse
    /// counts. Refused unless the move is in <paramref name="history"/> and the person still lives where it took them.
    /// </summary>
    /// <param name="current">The record now.</param>
    /// <param name="history">The record's history, oldest first.</param>
    /// <param name="relocationKey">The idempotency key of the move to undo.</param>
    /// <param name="idempotencyKey">The undo's own idempotency key.</param>
    /// <param name="actor">Who undoes it: the household move's actor.</param>
    /// <param name="now">The time stamped on history.</param>
    public static Decision DecideUndo(ResidentRecord current, IReadOnlyList<ResidentChange> history, string relocationKey, string idempotencyKey, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(actor);
        // Only the move itself is undone, and only while the person still lives where it took them.
        var move = history.LastOrDefault(entry => entry.OperationId == relocationKey && entry.Kind == ResidentChangeKind.Relocation);
        if (move is null || move.NewValue != ResidenceAddress.TextOf(current) || move.OldValue is null)
        {
            return new Refused(new Refusal(RefusalKind.Conflict, "The relocation cannot be undone; nothing was changed.",
                [new FieldError("relocationKey", $"{current.PersonalIdNumber} does not live where relocation '{relocationKey}' took them.")]));
        }

        // The entry's old value is the address in the form of ResidenceAddress.TextOf: province/commune/address.
        var parts = move.OldValue.Split('/', 3);
        var restored = current with
        {
            PermanentResidenceProvince = parts[0],
            PermanentResidenceCommune = parts[1].Length == 0 ? null : parts[1],
            PermanentAddress = parts[2].Length == 0 ? null : parts[2],
        };
        var entry = new ResidentChange(idempotencyKey, ResidentChangeKind.Relocation, now, actor, ResidentFields.PermanentResidence,
            move.NewValue, move.OldValue, $"Undoes relocation {relocationKey}", null);
        return new Acceptance(restored, [entry], [], NeedsNewNumber: false)
        {
            Counts = MoveCounts(current, restored, $"relocation:{current.PersonalIdNumber}:{idempotencyKey}"),
        };
    }

    /// <summary>
    /// The departure and arrival a move between provinces owes, under <paramref name="operation"/> so a province counts
    /// each once; none within a province (invariant 1: a person is counted in exactly one province).
    /// </summary>
    public static OwedCount[] MoveCounts(ResidentRecord from, ResidentRecord to, string operation)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var number = from.PersonalIdNumber;
        return from.PermanentResidenceProvince == to.PermanentResidenceProvince
            ? []
            :
            [
                new(from.PermanentResidenceProvince, new ResidentCountChange(operation + ":departure", number, -1, ResidentCountReason.Departure, operation)),
                new(to.PermanentResidenceProvince, new ResidentCountChange(operation + ":arrival", number, +1, ResidentCountReason.Arrival, operation)),
            ];
    }

    /// <summary>Whether a repeated relocation id asks for the move the history recorded.</summary>
    public static bool IsReplayOf(Relocate command, IEnumerable<ResidentChange> entries)
    {
        ArgumentNullException.ThrowIfNull(command);
        var destination = command.Destination is { } to ? (to with { Address = to.Address?.Normalize().Trim() ?? "" }).ToString() : null;
        return entries.All(entry => entry.Kind == ResidentChangeKind.Relocation
            && entry.Actor == command.Actor
            && entry.NewValue == destination
            && entry.Reason == "Relocation registered on " + Text(command.MovedOn));
    }

    // Residence is registered where the person moves to (Law on Residence 68/2020 Art. 22): an officer of the
    // destination province registers the move, whichever province the person leaves.
    private static Refused? WriterRefusal(Actor actor, string destinationProvince) =>
        Jurisdiction.RefusalFor(actor, destinationProvince, "registers moves into") is { } refusal
            ? new Refused(new Refusal(RefusalKind.Forbidden, "The actor may not make this change; nothing was changed.", [new FieldError("actor", refusal)]))
            : null;

    private static string Text(DateOnly date) => ResidentFields.Text(date);

    private static Refused Invalid(FieldErrors errors) =>
        new(Refusal.Invalid(errors.ToArray()));

    private static Refused Conflict(string field, string message) =>
        new(new Refusal(RefusalKind.Conflict, "The relocation conflicts with the record; nothing was changed.", [new FieldError(field, message)]));
}
