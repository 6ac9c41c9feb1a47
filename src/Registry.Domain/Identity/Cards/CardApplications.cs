using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// Who may apply for an identity card, for which reason, and which of a person's cards a step may touch (Law on
/// Identification 26/2023 Art. 18–24). The citizen grain holds the person's <see cref="PersonCards"/> and asks here;
/// what is refused changes nothing.
/// </summary>
public static class CardApplications
{
    /// <summary>The age from which a card is compulsory (Art. 19(1)); below it only a parent or guardian applies (Art. 19(2)).</summary>
    public const int CompulsoryAge = 14;

    /// <summary>
    /// Why <paramref name="command"/> may not be taken for <paramref name="resident"/>, whose cards are
    /// <paramref name="cards"/>, on <paramref name="today"/> (Vietnam's date), or null when it may.
    /// </summary>
    public static Refusal? RefusalFor(ApplyForCard command, ResidentRecord resident, PersonCards cards, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(resident);
        ArgumentNullException.ThrowIfNull(cards);
        if (Jurisdiction.RefusalFor(command.Actor, resident.PermanentResidenceProvince, "takes card applications for residents of") is { } outside)
        {
            return new Refusal(RefusalKind.Forbidden, "The actor may not apply for this person's card; nothing was changed.", [new FieldError("actor", outside)]);
        }

        if (resident.Death is { } death)
        {
            return Conflict("personalIdNumber", $"{resident.PersonalIdNumber} died on {death.Date:yyyy-MM-dd}; no card is issued for a dead person.");
        }

        if (cards.OpenApplication is { } open)
        {
            return Conflict("reason", $"Card {open.DocumentNumber}, applied for on {open.AppliedOn:yyyy-MM-dd}, is still {CardLifecycle.NameOf(open.State)}: one application at a time.");
        }

        var age = CardExpiry.AgeOn(resident.BirthDate, today);
        if (GuardianError(command.ParentOrGuardian, resident, age) is { } guardian)
        {
            return Refusal.Invalid("parentOrGuardian", guardian);
        }

        return ReasonError(command.Reason, cards.Current) is { } reason ? Conflict("reason", reason) : null;
    }

    /// <summary>
    /// The card of <paramref name="cards"/> that <paramref name="command"/> is about, or the refusal: production and
    /// issue concern the open application, a loss report the current card, a revocation either. An officer acts for the
    /// card's province.
    /// </summary>
    public static (IdentityCard? Card, Refusal? Refusal) Locate(ChangeCard command, PersonCards cards)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(cards);
        var card = command.Step switch
        {
            CardStepKind.Production or CardStepKind.Issue => cards.OpenApplication,
            CardStepKind.LossReport => cards.Current,
            CardStepKind.Revocation => cards.OpenApplication?.DocumentNumber == command.DocumentNumber ? cards.OpenApplication : cards.Current,
            _ => null,
        };
        if (card is null || card.DocumentNumber != command.DocumentNumber)
        {
            var which = command.Step is CardStepKind.Production or CardStepKind.Issue ? "open application" : "card";
            return (null, new Refusal(RefusalKind.Conflict, "The card is not one this step can reach; nothing was changed.",
                [new FieldError("documentNumber", $"Card {command.DocumentNumber} is not the person's {which}; its {CardLifecycle.Describe(command.Step)} is not possible.")]));
        }

        if (Jurisdiction.RefusalFor(command.Actor, card.ProvinceCode, "acts on cards of") is { } outside)
        {
            return (null, new Refusal(RefusalKind.Forbidden, "The actor may not act on this card; nothing was changed.", [new FieldError("actor", outside)]));
        }

        if (command.Step == CardStepKind.Revocation && string.IsNullOrWhiteSpace(command.Reason))
        {
            return (null, Refusal.Invalid("reason", "A revocation states why (fraud, a court decision, …)."));
        }

        return (card, null);
    }

    /// <summary>Why a card may not be issued on <paramref name="issuedOn"/> to a person born on <paramref name="birthDate"/>, or null.</summary>
    public static string? IssueDateError(DateOnly issuedOn, DateOnly birthDate, DateOnly today) =>
        issuedOn < birthDate ? $"The issue date {issuedOn:yyyy-MM-dd} is before the holder's birth on {birthDate:yyyy-MM-dd}."
        : issuedOn > today ? $"The issue date {issuedOn:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} in Vietnam)."
        : null;

    /// <summary>The wire name of <paramref name="reason"/>.</summary>
    public static string NameOf(CardReason reason) => reason switch
    {
        CardReason.FirstCard => "firstCard",
        CardReason.AgeMilestone => "ageMilestone",
        CardReason.Lost => "lost",
        CardReason.Damaged => "damaged",
        CardReason.ChangeOfData => "changeOfData",
        CardReason.AdministrativeReorganisation => "administrativeReorganisation",
        CardReason.Imported => "imported",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a reason."),
    };

    /// <summary>The reason of an application named <paramref name="name"/>, or null; an import is no reason to apply.</summary>
    public static CardReason? ParseReason(string? name) =>
        Enum.GetValues<CardReason>().Where(reason => reason != CardReason.Imported)
            .Select(reason => (CardReason?)reason).FirstOrDefault(reason => NameOf(reason!.Value) == name);

    // Below 14 the application is the parent's or guardian's, named by their number and linked to the person in the
    // record (Art. 19(2)); from 14 the person applies themselves.
    private static string? GuardianError(Contracts.Identity.PersonalIdNumber? applicant, ResidentRecord resident, int age)
    {
        if (applicant is not { } number)
        {
            return age < CompulsoryAge
                ? $"{resident.PersonalIdNumber} is {age}: below {CompulsoryAge} a card is applied for through a parent or guardian, named by their personal ID number."
                : null;
        }

        if (age >= CompulsoryAge)
        {
            return $"{resident.PersonalIdNumber} is {age} and applies themselves; a parent or guardian applies only below {CompulsoryAge}.";
        }

        var family = resident.Family;
        return number == family.Mother || number == family.Father || number == family.Guardian
            ? null
            : $"{number} is not the mother, father or guardian of {resident.PersonalIdNumber} in the registry.";
    }

    private static string? ReasonError(CardReason reason, IdentityCard? current) => (reason, current) switch
    {
        (CardReason.FirstCard, null) => null,
        (CardReason.FirstCard, { } held) => $"The person already holds card {held.DocumentNumber}; a new one has a reason of renewal, loss, damage or change.",
        (_, null) => $"The person has no card yet; the reason of a first one is {NameOf(CardReason.FirstCard)}.",
        (CardReason.Lost, { State: not CardState.ReportedLost } held) => $"Card {held.DocumentNumber} is not reported lost; report it lost first.",
        (CardReason.AgeMilestone, { ExpiresOn: null } held) => $"Card {held.DocumentNumber} does not expire: it needs no renewal for age.",
        (CardReason.Damaged or CardReason.ChangeOfData or CardReason.AdministrativeReorganisation or CardReason.AgeMilestone,
            { State: not (CardState.Issued or CardState.Expired) } held) => $"Card {held.DocumentNumber} is {CardLifecycle.NameOf(held.State)}; only a card in use is renewed or exchanged.",
        _ => null,
    };

    private static Refusal Conflict(string field, string message) =>
        new(RefusalKind.Conflict, "The person's cards do not allow this application; nothing was changed.", [new FieldError(field, message)]);
}
