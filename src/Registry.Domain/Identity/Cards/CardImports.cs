using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// Chip cards issued before Law 26/2023 took effect (1 July 2024) stay valid until the expiry printed on them (Art.
/// 46(1)); the registry learns of them by import, one card at a time, by a central administrator. What is refused is a
/// 400 naming the field, and changes nothing. That the document number is not already a card's is decided by the card's
/// own grain, where two imports of one number meet.
/// </summary>
public static class CardImports
{
    /// <summary>
    /// Why <paramref name="command"/> may not be recorded for <paramref name="resident"/> (null when nobody holds the
    /// number), whose cards are <paramref name="cards"/>, at <paramref name="now"/>, or null when it may.
    /// </summary>
    public static Refusal? RefusalFor(ImportCard command, ResidentRecord? resident, PersonCards cards, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(cards);
        if (command.Actor.Role != ActorRole.CentralAdministrator)
        {
            return new Refusal(RefusalKind.Forbidden, "Only central administrators import cards; nothing was changed.",
                [new FieldError("actor", "Cards issued before 1 July 2024 are imported by central administrators.")]);
        }

        var errors = new FieldErrors();
        errors.Add("documentNumber", command.DocumentNumber.IsFromBefore2024
            ? null
            : $"{command.DocumentNumber} begins with a series letter: such numbers are the registry's own, handed out from 1 July 2024. " +
              "A chip card issued before carries nine digits.");
        errors.Add("issuedOn", command.IssuedOn >= CardExpiry.LawInForce
            ? $"The issue date {command.IssuedOn:yyyy-MM-dd} is not before {CardExpiry.LawInForce:yyyy-MM-dd}: a card issued since Law 26/2023 took effect is issued by the registry, not imported."
            : null);
        var today = DateOnly.FromDateTime(now.ToOffset(VietnamCalendar.Offset).DateTime);
        errors.Add("expiresOn", command.ExpiresOn is { } expiresOn && expiresOn < today
            ? $"The card expired on {expiresOn:yyyy-MM-dd}: an expired card is not imported; its holder applies for a new one."
            : null);
        errors.Add("expiresOn", command.ExpiresOn <= command.IssuedOn
            ? $"The printed expiry {command.ExpiresOn:yyyy-MM-dd} is not after the issue date {command.IssuedOn:yyyy-MM-dd}."
            : null);
        if (resident is null)
        {
            errors.Add("personalIdNumber", "No person holds this personal ID number.");
            return Refusal.Invalid(errors.ToArray());
        }

        errors.Add("issuedOn", CardApplications.IssueDateError(command.IssuedOn, resident.BirthDate, today));
        errors.Add("personalIdNumber", resident.Death is { } death
            ? $"{resident.PersonalIdNumber} died on {death.Date:yyyy-MM-dd}; a dead person's card is withdrawn, not imported."
            : null);
        errors.Add("personalIdNumber", cards.Current is { } held && CardLifecycle.IsValidAt(held, now)
            ? $"{resident.PersonalIdNumber} holds card {held.DocumentNumber}, valid: one valid card per person."
            : null);
        return errors.Any ? Refusal.Invalid(errors.ToArray()) : null;
    }

    /// <summary>
    /// The card <paramref name="command"/> records for <paramref name="resident"/> at <paramref name="now"/>: issued, with
    /// its printed expiry (<see cref="CardExpiry.ExpiresOn(DateOnly, DateOnly, DateOnly?)"/>) and what it prints of the
    /// holder as the record holds it now. The application day is unknown to the registry; the issue date stands for it.
    /// </summary>
    public static IdentityCard Imported(ImportCard command, ResidentRecord resident, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(resident);
        return new IdentityCard(command.DocumentNumber, resident.PersonalIdNumber, resident.PermanentResidenceProvince, CardReason.Imported,
            CardState.Issued, command.IssuedOn)
        {
            IssuedOn = command.IssuedOn,
            ExpiresOn = CardExpiry.ExpiresOn(resident.BirthDate, command.IssuedOn, command.ExpiresOn),
            Printed = CardFaces.Print(resident),
            Steps = [new CardStep(CardStepKind.Issue, command.IdempotencyKey, now, command.Actor)],
        };
    }

    /// <summary>Whether <paramref name="card"/>, found under the imported number, is this import's card (a repeat) rather than another card's.</summary>
    public static bool IsImportOf(IdentityCard card, ImportCard command, ResidentRecord resident)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(resident);
        return card.Holder == resident.PersonalIdNumber && card.Steps is [{ Kind: CardStepKind.Issue } first, ..] && first.OperationId == command.IdempotencyKey;
    }

    /// <summary>The refusal of a number another card already has.</summary>
    public static Refusal NumberTaken(DocumentNumber number) =>
        Refusal.Invalid("documentNumber", $"Document number {number} is already a card's in the registry; a number is never used twice.");
}
